package org.walrusjava.tensor;

/**
 * Unpadded strided 3-D convolutions as the textbook sums, in float64 over plain arrays: a reference that shares no
 * code with libtorch or with our kernels. Shapes are (N, C, X, Y, Z); weights (C_out, C_in, k...) for a convolution
 * and (C_in, C_out, k...) for a transposed one, as libtorch lays them out.
 */
final class DirectConvolution {
    record Array(double[] v, int[] shape) {
        int at(int n, int c, int x, int y, int z) {
            return (((n * shape[1] + c) * shape[2] + x) * shape[3] + y) * shape[4] + z;
        }
    }

    private DirectConvolution() {}

    static Array conv(Array x, Array w, double[] bias, int[] s) {
        int[] xs = x.shape(), ks = w.shape();
        int[] out = {xs[0], ks[0], (xs[2] - ks[2]) / s[0] + 1, (xs[3] - ks[3]) / s[1] + 1, (xs[4] - ks[4]) / s[2] + 1};
        Array y = new Array(new double[size(out)], out);
        for (int n = 0; n < out[0]; n++)
            for (int o = 0; o < out[1]; o++)
                for (int i = 0; i < out[2]; i++)
                    for (int j = 0; j < out[3]; j++)
                        for (int l = 0; l < out[4]; l++) {
                            double sum = bias == null ? 0 : bias[o];
                            for (int c = 0; c < ks[1]; c++)
                                for (int a = 0; a < ks[2]; a++)
                                    for (int b = 0; b < ks[3]; b++) {
                                        int wi = w.at(o, c, a, b, 0), xi = x.at(n, c, i * s[0] + a, j * s[1] + b,
                                                l * s[2]);
                                        for (int d = 0; d < ks[4]; d++) sum += w.v()[wi + d] * x.v()[xi + d];
                                    }
                            y.v()[y.at(n, o, i, j, l)] = sum;
                        }
        return y;
    }

    /** The transposed convolution, written out to {@code outShape} (at least (X - 1) s + k per axis, zeros past it). */
    static Array convTranspose(Array x, Array w, double[] bias, int[] s, int[] outShape) {
        int[] xs = x.shape(), ks = w.shape();
        Array y = new Array(new double[size(outShape)], outShape);
        for (int n = 0; n < xs[0]; n++)
            for (int c = 0; c < xs[1]; c++)
                for (int i = 0; i < xs[2]; i++)
                    for (int j = 0; j < xs[3]; j++)
                        for (int l = 0; l < xs[4]; l++) {
                            double xv = x.v()[x.at(n, c, i, j, l)];
                            for (int o = 0; o < ks[1]; o++)
                                for (int a = 0; a < ks[2]; a++)
                                    for (int b = 0; b < ks[3]; b++)
                                        for (int d = 0; d < ks[4]; d++)
                                            y.v()[y.at(n, o, i * s[0] + a, j * s[1] + b, l * s[2] + d)] +=
                                                    xv * w.v()[w.at(c, o, a, b, d)];
                        }
        if (bias != null)
            for (int n = 0; n < outShape[0]; n++)
                for (int o = 0; o < outShape[1]; o++)
                    for (int p = 0; p < outShape[2] * outShape[3] * outShape[4]; p++)
                        y.v()[y.at(n, o, 0, 0, 0) + p] += bias[o];
        return y;
    }

    /** sum over n and the positions of {@code a} of a[n, p, pos] b[n, q, pos s + k]: a kernel-shaped (P, Q, k...). */
    static Array correlate(Array a, Array b, int[] s, int[] kernel) {
        int[] as = a.shape();
        int[] out = {as[1], b.shape()[1], kernel[0], kernel[1], kernel[2]};
        Array g = new Array(new double[size(out)], out);
        for (int p = 0; p < out[0]; p++)
            for (int q = 0; q < out[1]; q++)
                for (int ka = 0; ka < kernel[0]; ka++)
                    for (int kb = 0; kb < kernel[1]; kb++)
                        for (int kd = 0; kd < kernel[2]; kd++) {
                            double sum = 0;
                            for (int n = 0; n < as[0]; n++)
                                for (int i = 0; i < as[2]; i++)
                                    for (int j = 0; j < as[3]; j++)
                                        for (int l = 0; l < as[4]; l++)
                                            sum += a.v()[a.at(n, p, i, j, l)]
                                                    * b.v()[b.at(n, q, i * s[0] + ka, j * s[1] + kb, l * s[2] + kd)];
                            g.v()[g.at(p, q, ka, kb, kd)] = sum;
                        }
        return g;
    }

    /** Sum over batch and space per channel: a bias gradient. */
    static double[] channelSums(Array g) {
        int[] gs = g.shape();
        double[] out = new double[gs[1]];
        int space = gs[2] * gs[3] * gs[4];
        for (int n = 0; n < gs[0]; n++)
            for (int c = 0; c < gs[1]; c++)
                for (int p = 0; p < space; p++) out[c] += g.v()[g.at(n, c, 0, 0, 0) + p];
        return out;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
