package org.walrusjava.bench;

import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * The machine's matrix-multiply rate at the shape that dominates a full-size forward pass (6144 tokens of a
 * 128x128, T=6 window through a 1408 -> 4224 projection). Forward times only compare across machines once they
 * are set against this: the released model's fp32 forward is about 90% projections, so two CPUs with the same
 * core count but different vector units give forward times in the ratio of their GEMM rates.
 */
public final class GemmThroughput {
    static final long TOKENS = 6144, IN = 1408, OUT = 3 * 1408;

    private GemmThroughput() {}

    /** Best of a few runs, in TFLOP/s (two flops per multiply-add). */
    public static double teraflops(DType dtype, Device device) {
        double best = Double.MAX_VALUE;
        try (Autograd off = Autograd.off(); NativeScope scope = NativeScope.open()) {
            Tensor x = Tensor.randn(dtype, device, TOKENS, IN);
            Tensor w = Tensor.randn(dtype, device, OUT, IN);
            for (int i = 0; i < 4; i++) {
                try (NativeScope run = NativeScope.open()) {
                    long t0 = System.nanoTime();
                    x.linear(w, null).sum().item();
                    if (i > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return 2.0 * TOKENS * IN * OUT / best / 1e12;
    }

    public static String describe(Device device) {
        return String.format("GEMM %dx%d by %dx%d: fp32 %.3f TFLOP/s, bf16 %.3f TFLOP/s", TOKENS, IN, IN, OUT,
                teraflops(DType.FLOAT32, device), teraflops(DType.BFLOAT16, device));
    }
}
