package org.walrusjava.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;

/** Collects a simulator's double-precision states into a single-precision {@link Trajectory}. */
final class TrajectoryRecorder {
    private final SimulatedSystem system;
    private final int[] shape;
    private final int points;
    private final List<double[]> coordinates;
    private final double[] time;
    private final Map<String, float[][]> variable = new LinkedHashMap<>();
    private final Map<String, float[]> constant = new LinkedHashMap<>();
    private final Map<String, Double> parameters = new LinkedHashMap<>();

    /** Checks the grid size against the stride table and the frame count, then prepares empty storage. */
    TrajectoryRecorder(SimulatedSystem system, int resolution, int frames, List<double[]> coordinates) {
        GridSizes.require(system.name(), system.nSpatialDims(), resolution);
        if (frames < 2) throw new UserError(system.name() + ": need at least 2 frames per trajectory, got " + frames);
        this.system = system;
        this.shape = new int[system.nSpatialDims()];
        Arrays.fill(shape, resolution);
        this.points = (int) Math.pow(resolution, shape.length);
        this.coordinates = List.copyOf(coordinates);
        this.time = new double[frames];
        for (FieldGroup group : system.fields())
            for (String component : group.components())
                if (group.constant()) constant.put(component, null);
                else variable.put(component, new float[frames][]);
    }

    void parameter(String name, double value) {
        parameters.put(name, value);
    }

    void record(int step, double t, String component, double[] values) {
        float[][] frames = variable.get(component);
        if (frames == null) throw new IllegalArgumentException(system.name() + ": no variable field " + component);
        frames[step] = toFloat(values);
        time[step] = t;
    }

    void constant(String component, double[] values) {
        if (!constant.containsKey(component))
            throw new IllegalArgumentException(system.name() + ": no constant field " + component);
        constant.put(component, toFloat(values));
    }

    private float[] toFloat(double[] values) {
        if (values.length != points)
            throw new IllegalArgumentException(system.name() + ": field has " + values.length + " points, not " + points);
        float[] out = new float[points];
        for (int p = 0; p < points; p++) out[p] = (float) values[p];
        return out;
    }

    Trajectory build() {
        variable.forEach((name, frames) -> {
            for (float[] frame : frames)
                if (frame == null) throw new IllegalStateException(system.name() + ": frame missing for " + name);
        });
        constant.forEach((name, values) -> {
            if (values == null) throw new IllegalStateException(system.name() + ": constant field missing: " + name);
        });
        return new Trajectory(system.name(), system.spatialDims(), shape, coordinates, time, system.fields(),
                variable, constant, system.boundaries(), parameters);
    }

    /** n cell-centre coordinates on [lower, upper). */
    static double[] cellCentres(int n, double lower, double upper) {
        double[] x = new double[n];
        double h = (upper - lower) / n;
        for (int i = 0; i < n; i++) x[i] = lower + (i + 0.5) * h;
        return x;
    }
}
