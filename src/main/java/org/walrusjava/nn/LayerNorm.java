package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/** Affine LayerNorm over the last dimension (eps 1e-5, PyTorch's default), used as QK-norm per head. */
public final class LayerNorm extends Module {
    private final Slot weight;
    private final Slot bias;

    public LayerNorm(int dim) {
        weight = parameter("weight", dim);
        bias = parameter("bias", dim);
    }

    public Tensor forward(Tensor x) {
        return x.layerNorm(weight.get(), bias.get(), 1e-5);
    }
}
