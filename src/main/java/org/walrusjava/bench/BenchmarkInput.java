package org.walrusjava.bench;

import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * The reference benchmark input (issue 2): 2-D 128x128, T = 6, B = 1, fields density, pressure, velocity_x,
 * velocity_y (+ padded velocity_z) and constant speed_of_sound; x PERIODIC, y WALL; all rolls 0.
 */
public final class BenchmarkInput {
    public static final long[] LABELS = {28, 3, 4, 5, 6, 8};
    public static final int[][] BCS = {{2, 2}, {0, 0}, {2, 2}};
    public static final boolean[] REAL = {true, true, true, true, false};
    public static final int VARIABLE = 5;

    private BenchmarkInput() {}

    /** A smooth random-phase field per channel (padded velocity_z zero), seeded, (T, 1, 6, n, n, 1). */
    public static Tensor window(int t, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] data = new float[t * 6 * n * n];
        for (int c = 0; c < 6; c++) {
            if (c == 4) continue;
            double kx = 1 + r.nextInt(3), ky = 1 + r.nextInt(3), phase = r.nextDouble() * 6.28, base = c == 0 || c == 5 ? 1.5 : 0;
            for (int s = 0; s < t; s++)
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        data[((s * 6 + c) * n + i) * n + j] = (float) (base + Math.sin(2 * Math.PI * kx * i / n + phase + 0.1 * s)
                                * Math.cos(2 * Math.PI * ky * j / n) + (c == 5 ? 0 : 0.01 * r.nextGaussian()));
        }
        return Tensor.of(data, t, 1, 6, n, n, 1);
    }

    public static Tensor window(int t, int n, long seed, DType dtype, Device device) {
        return window(t, n, seed).to(dtype).to(device);
    }
}
