package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/** y = x W^T + b over the last dimension; weight (out, in) as PyTorch stores it. */
public final class Linear extends Module {
    private final Slot weight;
    private final Slot bias;

    public Linear(int in, int out, boolean withBias) {
        weight = parameter("weight", out, in);
        bias = withBias ? parameter("bias", out) : null;
    }

    public Tensor forward(Tensor x) {
        return x.linear(weight.get(), bias == null ? null : bias.get());
    }
}
