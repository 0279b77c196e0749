package org.walrusjava.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.walrusjava.data.WellSpec;
import org.walrusjava.data.WellWriter;

/**
 * One simulated trajectory as a Well file of one trajectory, the way The Well stores a run: its physical
 * parameters as root {@code simulation_parameters} and as constant {@code scalars/}, one boundary group per axis
 * (two when the faces differ), cell-centre coordinates, the saved times, variable fields per step and constant
 * fields (speed of sound, a steady velocity) once for the trajectory.
 */
public final class TrajectoryFile {
    private TrajectoryFile() {}

    public static WellSpec spec(Trajectory t) {
        WellSpec.Builder b = WellSpec.builder(t.system(), "cartesian").trajectories(1);
        for (int a = 0; a < t.nSpatialDims(); a++) b.spatialDim(t.spatialDims().get(a), floats(t.coordinates().get(a)));
        b.time(floats(t.time()));
        for (Map.Entry<String, Double> p : t.parameters().entrySet()) {
            b.simulationParameter(p.getKey(), p.getValue());
            b.scalar(WellSpec.Scalar.constant(p.getKey(), p.getValue().floatValue()));
        }
        for (int a = 0; a < t.nSpatialDims(); a++)
            for (WellSpec.BoundaryGroup g : boundaryGroups(t.spatialDims().get(a), t.shape()[a], t.boundaries().get(a)))
                b.boundary(g);
        for (FieldGroup group : t.fields()) {
            WellSpec.Field field = WellSpec.Field.of(group.name(), group.rank());
            b.field(group.constant() ? field.varying(true, false) : field);
        }
        return b.build();
    }

    /** Writes the trajectory to {@code target} (atomically, see {@link WellWriter}); returns {@code target}. */
    public static Path write(Trajectory t, Path target) {
        WellSpec spec = spec(t);
        return WellWriter.write(target, spec, (field, trajectory, step, frame) ->
                frame.put(t.interleaved(group(t, field.name()), step)));
    }

    /** "x_periodic" over both faces, or "x_lower_wall" and "x_upper_open" when the faces differ. */
    public static List<WellSpec.BoundaryGroup> boundaryGroups(String axis, int points, AxisBoundary boundary) {
        if (boundary.lower() == boundary.upper())
            return List.of(WellSpec.BoundaryGroup.bothFaces(axis + "_" + lowerCase(boundary.lower()),
                    boundary.lower().name(), axis, points));
        List<WellSpec.BoundaryGroup> groups = new ArrayList<>();
        groups.add(oneFace(axis + "_lower_" + lowerCase(boundary.lower()), boundary.lower(), axis, points, 0));
        groups.add(oneFace(axis + "_upper_" + lowerCase(boundary.upper()), boundary.upper(), axis, points, points - 1));
        return groups;
    }

    private static WellSpec.BoundaryGroup oneFace(String name, BoundaryType type, String axis, int points, int face) {
        boolean[] mask = new boolean[points];
        mask[face] = true;
        return new WellSpec.BoundaryGroup(name, type.name(), List.of(axis), List.of(), mask, new float[1]);
    }

    private static String lowerCase(BoundaryType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static FieldGroup group(Trajectory t, String name) {
        return t.fields().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
