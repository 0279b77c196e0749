package org.walrusjava.model;

import org.walrusjava.nn.Module;
import org.walrusjava.nn.RmsNorm;
import org.walrusjava.tensor.Tensor;

/**
 * Transposed-convolution decoder (spec §1.5), the encoder's mirror: strides in reverse order, one output per
 * input channel (vocabulary columns selected by field index). On periodic axes each transposed conv sees its
 * input circularly padded by (k - s) / s tokens per side and the output is cropped by that many tokens times s
 * (spec Corrections 13: upstream crops k - s, which is the same except at stride 6, where upstream fails).
 */
final class Decoder extends Module {
    private final Slot proj1;
    private final RmsNorm norm1;
    private final Slot proj2;
    private final Slot bias2;

    Decoder(WalrusConfig c) {
        int[][] k = c.baseKernel();
        proj1 = parameter("proj1.weight", c.hiddenDim(), c.intermediateDim(), k[0][1], k[1][1], k[2][1]);
        norm1 = child("norm1", new RmsNorm(c.intermediateDim()));
        proj2 = parameter("proj2.weight", c.intermediateDim(), c.nStates(), k[0][0], k[1][0], k[2][0]);
        bias2 = parameter("proj2.bias", c.nStates());
    }

    /** x (T, B, hidden, h, w, d) tokens; returns (T, B, C, H', W', D') on the padded grid. */
    Tensor forward(Tensor x, long[] labels, int[][] strides, boolean[] periodic) {
        long t = x.size(0), b = x.size(1);
        Tensor y = x.flatten(0, 1);
        y = transposed(y, proj1.get(), null, strides, 1, periodic);
        y = norm1.forward(y).silu();
        y = transposed(y, proj2.get().indexSelect(1, labels), bias2.get().indexSelect(0, labels), strides, 0, periodic);
        return y.reshape(t, b, y.size(1), y.size(2), y.size(3), y.size(4));
    }

    /** On singleton axes the kernel is averaged (not summed as in the encoder) and applied with stride 1. */
    private static Tensor transposed(Tensor x, Tensor weight, Tensor bias, int[][] strides, int stage, boolean[] periodic) {
        long[] stride = new long[3];
        long[] padIn = new long[3];
        for (int a = 0; a < 3; a++) {
            if (x.size(2 + a) == 1) {
                weight = weight.mean(new long[] {2 + a}, true);
                stride[a] = 1;
                continue;
            }
            stride[a] = strides[a][stage];
            long k = weight.size(2 + a);
            if (periodic[a]) padIn[a] = (k - stride[a]) / stride[a];
        }
        for (int a = 0; a < 3; a++) x = x.padCircular(2 + a, padIn[a], padIn[a]);
        Tensor y = x.convTranspose3d(weight, bias, stride);
        for (int a = 0; a < 3; a++) {
            long crop = padIn[a] * stride[a];
            if (crop > 0) y = y.narrow(2 + a, crop, y.size(2 + a) - 2 * crop);
        }
        return y;
    }
}
