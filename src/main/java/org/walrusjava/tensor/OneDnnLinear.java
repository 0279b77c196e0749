package org.walrusjava.tensor;

import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Large fp32 {@code y = x W^T + b} on the CPU through oneDNN rather than libtorch's default BLAS call.
 *
 * <p>Why: libtorch hands fp32 GEMMs to the bundled OpenBLAS, which {@link NativeRuntime} holds to one thread
 * because its own thread pool spins against libtorch's OpenMP threads. oneDNN runs its GEMMs on libtorch's OpenMP
 * pool, so a large product uses every thread with no second pool. Measured on 2 cores: 6144x1408 by 1408x4224
 * (a full-size Walrus projection at 128x128) 0.73 s through OpenBLAS, 0.43 s through oneDNN, results equal to
 * fp32 rounding, the reorders of x, W and y into and out of oneDNN's layout included (W is reordered per call
 * rather than cached, which would double the weights' memory to save a few percent). Small products, where the reorders cost
 * more than the second thread gains, and everything autograd records (training keeps its usual, differentiable
 * path) stay on {@code torch.linear}.
 */
final class OneDnnLinear {
    private static final double MIN_MULTIPLY_ADDS = 2e7;
    private static final boolean AVAILABLE = torch.hasMKLDNN();

    private OneDnnLinear() {}

    static boolean applies(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                           org.bytedeco.pytorch.Tensor b) {
        if (!AVAILABLE || !x.is_cpu() || !w.is_cpu() || x.dim() < 2 || w.dim() != 2) return false;
        if (DType.of(x.scalar_type()) != DType.FLOAT32 || DType.of(w.scalar_type()) != DType.FLOAT32) return false;
        boolean recorded = org.bytedeco.pytorch.GradMode.is_enabled()
                && (x.requires_grad() || w.requires_grad() || (b != null && b.requires_grad()));
        if (recorded) return false;
        return (double) x.numel() * w.size(0) >= MIN_MULTIPLY_ADDS;
    }

    static org.bytedeco.pytorch.Tensor apply(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                             org.bytedeco.pytorch.Tensor b) {
        long in = x.size(-1), out = w.size(0);
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = out;
        try (org.bytedeco.pytorch.Tensor rows = x.reshape(-1, in).contiguous();
             org.bytedeco.pytorch.Tensor xm = rows.to_mkldnn();
             org.bytedeco.pytorch.Tensor wm = w.contiguous().to_mkldnn();
             org.bytedeco.pytorch.Tensor bm = b == null ? null : b.contiguous().to_mkldnn();
             org.bytedeco.pytorch.Tensor ym = bm == null ? torch.mkldnn_linear(xm, wm)
                     : torch.mkldnn_linear(xm, wm, new TensorOptional(bm));
             org.bytedeco.pytorch.Tensor y = ym.to_dense()) {
            return y.reshape(shape);
        }
    }
}
