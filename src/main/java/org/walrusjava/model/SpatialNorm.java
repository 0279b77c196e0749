package org.walrusjava.model;

import org.walrusjava.nn.RmsNorm;
import org.walrusjava.tensor.Tensor;

/** Applies a channels-first {@link RmsNorm} to channels-last tokens (T, B, h, w, d, C) per (t, b) sample. */
final class SpatialNorm {
    private SpatialNorm() {}

    static Tensor apply(RmsNorm norm, Tensor x, int firstSpatialDim) {
        // Channels-last view as (T*B, C, h, w, d) without copying: permute only reorders strides.
        long[] s = x.shape();
        Tensor cf = x.reshape(s[0] * s[1], s[2], s[3], s[4], s[5]).permute(0, 4, 1, 2, 3);
        Tensor y = norm.forward(cf).permute(0, 2, 3, 4, 1);
        return y.reshape(s);
    }
}
