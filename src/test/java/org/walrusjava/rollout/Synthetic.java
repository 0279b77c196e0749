package org.walrusjava.rollout;

import java.util.List;

/** Small made-up rollouts: travelling waves on a periodic grid, with a padded third velocity component. */
final class Synthetic {
    static final List<String> CHANNELS = List.of("density", "velocity_x", "velocity_y", "velocity_z");
    static final boolean[] REAL = {true, true, true, false};

    private Synthetic() {}

    static FieldLayout layout2d(int n) {
        return new FieldLayout(CHANNELS, REAL, new int[] {n, n});
    }

    /** The true frame at time t (any real number): every channel a different wave; the padded one all zero. */
    static float[][] truth(FieldLayout layout, double t) {
        int[] shape = layout.shape();
        int cells = layout.cells();
        float[][] frame = new float[layout.channels().size()][cells];
        for (int i = 0; i < cells; i++) {
            double x = 2 * Math.PI * (i / (cells / shape[0])) / shape[0];
            double y = 2 * Math.PI * (i % (cells / shape[0])) / (cells / shape[0]);
            frame[0][i] = (float) (1 + 0.5 * Math.sin(x + 0.3 * t) * Math.cos(y));
            frame[1][i] = (float) Math.cos(2 * x - 0.2 * t);
            frame[2][i] = (float) (0.3 * Math.sin(y + 0.5 * t) + 0.1);
        }
        return frame;
    }

    /** truth with a growing error: amplitude grows like growth * t on a fixed pattern. */
    static float[][] prediction(FieldLayout layout, double t, double growth, int seed) {
        float[][] frame = truth(layout, t);
        java.util.Random random = new java.util.Random(seed);
        for (float[] channel : frame) {
            for (int i = 0; i < channel.length; i++) channel[i] += (float) (growth * (t + 1) * random.nextGaussian());
        }
        return frame;
    }
}
