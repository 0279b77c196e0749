package org.walrusjava.model;

import org.walrusjava.tensor.Tensor;

/**
 * Stochastic depth for training: zeroes a residual branch for whole samples with probability p and rescales the
 * survivors by 1/(1-p). The time block drops per time step (its branch is shaped (T, B, ...) and the reference's
 * DropPath keys on the first dim), the space block per (t, b) slice. Off (identity) at inference.
 */
final class DropPath {
    static final DropPath OFF = new DropPath(0);
    private final double p;

    DropPath(double p) {
        this.p = p;
    }

    /** branch (T, B, ...); keyDims = 1 drops along T, 2 along (T, B). */
    Tensor apply(Tensor branch, int keyDims) {
        if (p <= 0) return branch;
        long[] maskShape = new long[branch.dim()];
        java.util.Arrays.fill(maskShape, 1);
        for (int i = 0; i < keyDims; i++) maskShape[i] = branch.size(i);
        Tensor keep = Tensor.rand(branch.dtype(), branch.device(), maskShape).add(1 - p).floor();
        return branch.mul(keep).div(1 - p);
    }
}
