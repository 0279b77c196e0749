package org.walrusjava.model;

import org.walrusjava.nn.Module;
import org.walrusjava.nn.RmsNorm;
import org.walrusjava.tensor.Tensor;

/**
 * The "space-bag" strided convolutional encoder (spec §1.3): two 3-D convolutions whose kernels are fixed and
 * whose strides come from the {@link StrideTable}, each followed by per-channel RMS norm and SiLU.
 *
 * <p>The first convolution's weight has one input column per vocabulary entry; only the columns of the fields
 * present (plus the three flags) are used, so a dataset's fields are a "bag" drawn from the vocabulary.
 */
final class Encoder extends Module {
    private final Slot proj1;
    private final RmsNorm norm1;
    private final Slot proj2;
    private final RmsNorm norm2;
    private final int nStates;

    Encoder(WalrusConfig c) {
        int[][] k = c.baseKernel();
        nStates = c.nStates();
        proj1 = parameter("proj1.weight", c.intermediateDim(), c.nStates(), k[0][0], k[1][0], k[2][0]);
        norm1 = child("norm1", new RmsNorm(c.intermediateDim()));
        proj2 = parameter("proj2.weight", c.hiddenDim(), c.intermediateDim(), k[0][1], k[1][1], k[2][1]);
        norm2 = child("norm2", new RmsNorm(c.hiddenDim()));
    }

    /** x (T, B, C+3, H', W', D') padded with flags; labels: vocabulary index per channel, flags included. */
    Tensor forward(Tensor x, long[] labels, int[][] strides) {
        long t = x.size(0), b = x.size(1);
        Tensor flat = x.flatten(0, 1);
        long[] spatial = {x.size(3), x.size(4), x.size(5)};

        Tensor w1 = proj1.get().indexSelect(1, labels).mul(spaceBagScale(labels.length, x));
        Tensor y = convolve(flat, w1, spatial, strides, 0);
        y = norm1.forward(y).silu();
        y = convolve(y, proj2.get(), spatial, strides, 1);
        y = norm2.forward(y).silu();
        return y.reshape(t, b, y.size(1), y.size(2), y.size(3), y.size(4));
    }

    /**
     * Spec Corrections 10: the selected columns are scaled by sqrt((n_states - 3) / (C_sel - 3)) so that the
     * summed input stays comparable whatever the number of fields; the closed/open flag columns (the last two)
     * are left unscaled, as the released weights expect.
     */
    private Tensor spaceBagScale(int selected, Tensor like) {
        float s = (float) Math.sqrt((double) (nStates - 3) / (selected - 3));
        float[] scale = new float[selected];
        java.util.Arrays.fill(scale, s);
        scale[selected - 1] = 1f;
        scale[selected - 2] = 1f;
        return Tensor.of(scale, 1, selected, 1, 1, 1).to(like.device()).to(like.dtype());
    }

    /** Strided conv; on singleton axes the kernel is summed over that axis and applied with stride 1. */
    private static Tensor convolve(Tensor x, Tensor weight, long[] spatial, int[][] strides, int stage) {
        long[] stride = new long[3];
        for (int a = 0; a < 3; a++) {
            if (spatial[a] == 1) {
                weight = weight.sum(new long[] {2 + a}, true);
                stride[a] = 1;
            } else {
                stride[a] = strides[a][stage];
            }
        }
        return x.conv3d(weight, null, stride);
    }
}
