package org.walrusjava.importer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.data.WellSpec;

/**
 * One field as read from the source arrays: where each tensor component is (array, and index along its channel
 * axis) and how a value becomes what is stored (scale, then log10). Fills the Well writer's frames: grid points in
 * row-major order over the grid axes, components innermost.
 */
record FieldSource(ImportMapping.FieldMapping mapping, WellSpec.Field field, List<Component> components,
                   int[] resolution) {

    /** A component's array and the positions of the axes in it (-1 where the array lacks that axis). */
    record Component(SourceArray array, int trajectoryAxis, int timeAxis, int[] spatialAxes, int channelAxis,
                     int channel) {
    }

    /** Fills {@code frame} with the values at trajectory {@code trajectory} (of the source) and step {@code step}. */
    void fill(int trajectory, int step, FloatBuffer frame) {
        int nComponents = components.size();
        long[][] index = new long[nComponents][];
        for (int c = 0; c < nComponents; c++) {
            Component k = components.get(c);
            index[c] = new long[k.array().shape().length];
            if (k.trajectoryAxis() >= 0) index[c][k.trajectoryAxis()] = trajectory;
            if (k.timeAxis() >= 0) index[c][k.timeAxis()] = step;
            if (k.channelAxis() >= 0) index[c][k.channelAxis()] = k.channel();
        }
        int[] point = new int[resolution.length];
        int points = 1;
        for (int n : resolution) points *= n;
        for (int p = 0; p < points; p++) {
            for (int c = 0; c < nComponents; c++) {
                Component k = components.get(c);
                for (int d = 0; d < point.length; d++) index[c][k.spatialAxes()[d]] = point[d];
                frame.put(stored(k.array().get(index[c]), k, trajectory, step, point));
            }
            for (int d = point.length - 1; d >= 0 && ++point[d] == resolution[d]; d--) point[d] = 0;
        }
    }

    private float stored(double raw, Component k, int trajectory, int step, int[] point) {
        double v = raw * mapping.scale();
        if (!Double.isFinite(raw)) {
            throw new UserError(k.array().label() + ": field " + mapping.name() + " has " + raw + " at "
                    + where(trajectory, step, point));
        }
        if (mapping.log10()) {
            if (!(v > 0)) {
                throw new UserError(k.array().label() + ": field " + mapping.name() + " has " + raw
                        + " at " + where(trajectory, step, point) + ", which has no log10 (log10: true needs positive values)");
            }
            v = Math.log10(v);
        }
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new UserError(k.array().label() + ": field " + mapping.name() + " value " + v + " at "
                    + where(trajectory, step, point) + " overflows float32 (scale it down with scale:)");
        }
        return f;
    }

    private String where(int trajectory, int step, int[] point) {
        return "trajectory " + trajectory + (mapping.constant() ? "" : ", step " + step) + ", grid point "
                + Arrays.toString(point);
    }
}
