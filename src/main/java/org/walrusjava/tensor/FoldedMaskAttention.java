package org.walrusjava.tensor;

import java.util.List;

/**
 * Attention over short sequences whose additive mask needs a gradient (Walrus's trained T5 time bias), with the
 * mask's finite part folded into the query-key product so that libtorch's fused CPU kernel computes it.
 *
 * <p>Why: that kernel returns no gradient for a mask, so libtorch sends a mask that needs one down its math path,
 * whose batched products run on the CPU as one small GEMM per sequence and head, one after the other on one thread.
 * For the time attention of the medium benchmark model (1,024 positions x 6 heads of 6 frames) that took 0.029 s
 * forward and 0.053 s backward per block, against 0.012 s and 0.022 s folded (2 cores), and a medium training step
 * went from 8.45-8.60 s to 8.10-8.20 s.
 *
 * <p>The fold: each query gets Tq more dims, the one-hot of its own position i, and each key j gets column j of
 * the mask over the scale, so {@code scale (q', k') = scale (q, k) + mask[i][j]}, the masked score. The kernel's key
 * gradient then holds the mask's gradient in those dims, and autograd sums it back through the concatenation and
 * the broadcast. The kernel wants one head size for all three, so values get zero dims that the output drops.
 * A -inf entry (the causal mask) cannot ride in a product, where 0 x -inf is NaN, so non-finite entries stay
 * behind as a constant mask of their own. Only for sequences no longer than a head: the fold adds Tq / headDim
 * to the work of the products.
 */
final class FoldedMaskAttention {
    private FoldedMaskAttention() {}

    static boolean applies(Tensor q, Tensor mask) {
        return mask != null && mask.requiresGrad() && !q.device().isCuda() && q.size(-2) <= q.size(-1);
    }

    /** q (..., Tq, E), k and v (..., Tk, E), mask broadcastable to (..., Tq, Tk). */
    static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        try (NativeScope s = NativeScope.open()) {
            int tq = (int) q.size(-2);
            long[] scores = q.shape();
            scores[scores.length - 1] = k.size(-2);
            Tensor finite = mask.isFinite();
            Tensor zeros = Tensor.zeros(mask.dtype(), mask.device(), mask.shape());
            Tensor constant = mask.allFinite() ? null : zeros.where(finite, mask.detach());
            Tensor keyDims = mask.where(finite, zeros).div(scale).expand(scores).transpose(-2, -1);
            long[] queryShape = q.shape();
            queryShape[queryShape.length - 1] = tq;
            Tensor queryDims = identity(tq).to(q.dtype()).to(q.device()).expand(queryShape);
            long[] valueShape = v.shape();
            valueShape[valueShape.length - 1] = q.size(-1) + tq - v.size(-1);
            Tensor out = Tensor.fusedAttention(Tensor.cat(List.of(q, queryDims), -1),
                    Tensor.cat(List.of(k, keyDims), -1),
                    Tensor.cat(List.of(v, Tensor.zeros(v.dtype(), v.device(), valueShape)), -1), constant, scale);
            return s.keep(out.narrow(-1, 0, v.size(-1)));
        }
    }

    private static Tensor identity(int n) {
        float[] eye = new float[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1;
        return Tensor.of(eye, n, n);
    }
}
