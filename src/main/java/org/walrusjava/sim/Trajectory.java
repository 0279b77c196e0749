package org.walrusjava.sim;

import java.util.List;
import java.util.Map;

/**
 * One simulated trajectory, in memory, in single precision (what Well files store). Every spatial array is
 * row-major over {@link #shape()} in {@link #spatialDims()} order (x slowest), one value per grid point.
 *
 * @param system       name of the simulated system (the dataset name)
 * @param spatialDims  axis names, "x", "y" (, "z")
 * @param shape        points per axis
 * @param coordinates  cell-centre (or grid-point) coordinates per axis
 * @param time         time of each saved frame, starting at 0
 * @param fields       the field groups (scalars and vectors, variable and constant) in Well order
 * @param variableFields component name -> [frame][point]
 * @param constantFields component name -> [point]
 * @param boundaries   lower/upper boundary condition per axis
 * @param parameters   the physical parameters drawn for this trajectory (name -> value), in a stable order
 */
public record Trajectory(
        String system,
        List<String> spatialDims,
        int[] shape,
        List<double[]> coordinates,
        double[] time,
        List<FieldGroup> fields,
        Map<String, float[][]> variableFields,
        Map<String, float[]> constantFields,
        List<AxisBoundary> boundaries,
        Map<String, Double> parameters) {

    public int nFrames() {
        return time.length;
    }

    public int nSpatialDims() {
        return shape.length;
    }

    public int pointsPerFrame() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** One component at one saved frame (a view, not a copy). */
    public float[] frame(String component, int step) {
        float[][] frames = variableFields.get(component);
        if (frames == null) throw new IllegalArgumentException(system + ": no variable field " + component);
        return frames[step];
    }

    /**
     * A whole field group at one frame in The Well's layout: [points] for a scalar, [points][components] (the
     * component index fastest) for a vector. For a constant group the step is ignored.
     */
    public float[] interleaved(FieldGroup group, int step) {
        int points = pointsPerFrame();
        int nc = group.components().size();
        float[] out = new float[points * nc];
        for (int c = 0; c < nc; c++) {
            String name = group.components().get(c);
            float[] values = group.constant() ? constantFields.get(name) : frame(name, step);
            for (int p = 0; p < points; p++) out[p * nc + c] = values[p];
        }
        return out;
    }

    public List<FieldGroup> variableGroups() {
        return fields.stream().filter(g -> !g.constant()).toList();
    }

    public List<FieldGroup> constantGroups() {
        return fields.stream().filter(FieldGroup::constant).toList();
    }

    /** Time between saved frames (uniform). */
    public double frameInterval() {
        return time.length > 1 ? time[1] - time[0] : 0;
    }
}
