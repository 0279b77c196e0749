package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/**
 * A 1x1x1 Conv3d (weight (out, in, 1, 1, 1) as the checkpoint stores it), computed as a channel-wise linear map
 * on channels-last data: the same arithmetic without a convolution kernel.
 */
public final class PointwiseConv extends Module {
    private final Slot weight;
    private final Slot bias;
    private final int in;
    private final int out;

    public PointwiseConv(int in, int out) {
        this.in = in;
        this.out = out;
        weight = parameter("weight", out, in, 1, 1, 1);
        bias = parameter("bias", out);
    }

    /** x: (..., in) channels-last; returns (..., out). */
    public Tensor forwardChannelsLast(Tensor x) {
        return x.linear(weight.get().reshape(out, in), bias.get());
    }
}
