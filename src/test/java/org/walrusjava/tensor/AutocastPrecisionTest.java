package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * bf16 autocast at the released model's widths. The whole-model bf16 test (BackpropagationTest) runs at tiny widths,
 * where dot products are 64 terms long; the released model sums 1408 terms in its attention and MLP input projections
 * and 2816 in the MLP output, where bf16's 8-bit significand could add up to more. So the two projection shapes are
 * checked here, forward and both gradients, against fp32 on 256 tokens (a CPU without bf16 instructions emulates them,
 * which is slow). Measured: relative error 2.9e-3 for each (the unit round-off of bf16 is 3.9e-3); tolerance 1e-2.
 */
class AutocastPrecisionTest {
    @Test
    void releasedWidthProjectionsInBf16StayWithinOnePercentOfFp32() {
        for (long[] shape : new long[][] {{1408, 5632 + 3 * 1408}, {2816, 1408}}) {
            try (NativeScope s = NativeScope.open()) {
                Tensor.manualSeed(5);
                Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 256, shape[0]).requiresGrad(true);
                Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, shape[1], shape[0]).mul(1 / Math.sqrt(shape[0]))
                        .requiresGrad(true);
                Tensor upstream = Tensor.randn(DType.FLOAT32, Device.CPU, 256, shape[1]);
                float[][] fp32 = products(x, w, upstream, false);
                float[][] bf16 = products(x, w, upstream, true);
                String[] names = {"y", "dL/dx", "dL/dW"};
                for (int i = 0; i < 3; i++) {
                    double error = relativeError(fp32[i], bf16[i]);
                    System.out.printf("bf16 autocast, %d -> %d: %s relative error %.2e%n", shape[0], shape[1], names[i],
                            error);
                    assertTrue(error < 1e-2, shape[0] + " -> " + shape[1] + " " + names[i] + ": " + error);
                }
            }
        }
    }

    private static float[][] products(Tensor x, Tensor w, Tensor upstream, boolean bf16) {
        x.clearGrad();
        w.clearGrad();
        Tensor y;
        try (Autocast a = bf16 ? Autocast.on(Device.CPU, DType.BFLOAT16) : null) {
            y = x.linear(w, null);
        }
        assertEquals(bf16 ? DType.BFLOAT16 : DType.FLOAT32, y.dtype());
        y.to(DType.FLOAT32).mul(upstream).sum().backward();
        return new float[][] {y.to(DType.FLOAT32).toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray()};
    }

    /** ||a - b|| / ||a|| over all elements. */
    private static double relativeError(float[] a, float[] b) {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += a[i] * (double) a[i];
        }
        return Math.sqrt(diff / norm);
    }
}
