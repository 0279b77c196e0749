package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Large fp32 projections at inference go through oneDNN; they must agree with the plain matmul to fp32 rounding. */
class OneDnnLinearTest {
    @Test
    void largeInferenceProjectionMatchesMatmul() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor.manualSeed(3);
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 3, 50, 256).transpose(1, 2); // strided input
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            Tensor b = Tensor.randn(DType.FLOAT32, Device.CPU, 500);
            assertTrue(OneDnnLinear.applies(x.t, w.t, b.t), "size and mode select the oneDNN path");

            Tensor y = x.linear(w, b);
            Tensor expected = x.matmul(w.transpose(0, 1)).add(b);
            assertArrayEquals(new long[] {2, 50, 3, 500}, y.shape());
            double scale = expected.abs().max().itemDouble();
            assertEquals(0, y.sub(expected).abs().max().itemDouble() / scale, 1e-5);
        }
    }

    @Test
    void recordedProjectionKeepsTheDifferentiablePath() {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 100, 256).requiresGrad(true);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 1000, 256);
            assertFalse(OneDnnLinear.applies(x.t, w.t, null));
            x.linear(w, null).sum().backward();
            // d(sum(x W^T))/dx = column sums of W, the same for every row of x
            float[] grad = x.grad().toFloatArray();
            float[] expected = w.sum(new long[] {0}, false).toFloatArray();
            for (int i = 0; i < 256; i++) assertEquals(expected[i], grad[i], 1e-3f * Math.max(1, Math.abs(expected[i])));
        }
    }

    @Test
    void smallProjectionStaysOnTorchLinear() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 10, 32);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 32, 32);
            assertFalse(OneDnnLinear.applies(x.t, w.t, null));
        }
    }
}
