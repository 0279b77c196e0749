package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/**
 * Walrus's "RMSGroupNorm". Despite its name and its configured group count, the reference normalises each
 * channel of each sample by its own RMS over space (spec, Corrections 1), with float32 machine epsilon because
 * the reference passes no eps to rms_norm. Input (N, C, *space); weight (C).
 */
public final class RmsNorm extends Module {
    static final double FLOAT32_EPS = Math.ulp(1.0f);
    private final Slot weight;

    public RmsNorm(int channels) {
        weight = parameter("weight", channels);
    }

    public Tensor forward(Tensor x) {
        long[] space = new long[x.dim() - 2];
        for (int i = 0; i < space.length; i++) space[i] = i + 2;
        Tensor rms = x.square().mean(space, true).add(FLOAT32_EPS).sqrt();
        long[] wShape = new long[x.dim()];
        java.util.Arrays.fill(wShape, 1);
        wShape[1] = x.size(1);
        return x.div(rms).mul(weight.get().reshape(wShape));
    }
}
