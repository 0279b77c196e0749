package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void arithmeticAndShapes() {
        try (NativeScope s = NativeScope.open()) {
            Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new long[] {2, 3}, a.shape());
            Tensor b = a.mul(2).add(1);
            assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, b.toFloatArray());
            assertEquals(21f, a.sum().item());
            Tensor m = a.matmul(a.transpose(0, 1));
            assertArrayEquals(new float[] {14, 32, 32, 77}, m.toFloatArray());
        }
    }

    @Test
    void convolutionsOverAFlatAxisEqualTheFull3dOnes() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor.manualSeed(5);
            long[] stride = {2, 1, 2};
            // the flat axis in the middle (W = 1) and last (D = 1); a 3-D grid keeps the 3-D kernel
            long[][] inputs = {{2, 3, 9, 1, 10}, {2, 3, 9, 10, 1}, {2, 3, 9, 4, 10}};
            long[][] kernels = {{4, 3, 3, 1, 2}, {4, 3, 3, 2, 1}, {4, 3, 3, 2, 2}};
            for (int i = 0; i < inputs.length; i++) {
                Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, inputs[i]);
                Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, kernels[i]);
                Tensor b = Tensor.randn(DType.FLOAT32, Device.CPU, 4);
                Tensor full = new Tensor(torch.conv3d(x.t, w.t, new TensorOptional(b.t), stride,
                        new long[] {0, 0, 0}, new long[] {1, 1, 1}, 1));
                Tensor y = x.conv3d(w, b, stride);
                assertArrayEquals(full.shape(), y.shape());
                assertArrayEquals(full.toFloatArray(), y.toFloatArray(), 1e-4f);

                Tensor wt = w; // a transposed convolution reads (in = 4, out = 3, k...): maps full back to 3 channels
                Tensor fullT = new Tensor(torch.conv_transpose3d(full.t, wt.t, new TensorOptional(), stride,
                        new long[] {0, 0, 0}, new long[] {0, 0, 0}, 1, new long[] {1, 1, 1}));
                Tensor yT = full.convTranspose3d(wt, null, stride);
                assertArrayEquals(fullT.shape(), yT.shape());
                assertArrayEquals(fullT.toFloatArray(), yT.toFloatArray(), 1e-3f);
            }
        }
    }

    @Test
    void rollFollowsTorchConvention() {
        try (NativeScope s = NativeScope.open()) {
            Tensor a = Tensor.of(new float[] {0, 1, 2, 3, 4}, 5);
            // out[i] = in[(i - r) mod n]
            assertArrayEquals(new float[] {3, 4, 0, 1, 2}, a.roll(new long[] {2}, new long[] {0}).toFloatArray());
            assertArrayEquals(new float[] {3, 4, 0, 1, 2, 3, 4, 0}, a.padCircular(0, 2, 1).toFloatArray());
        }
    }

    @Test
    void attentionMatchesManualSoftmax() {
        try (NativeScope s = NativeScope.open()) {
            Tensor q = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
            Tensor k = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
            Tensor v = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
            float[] out = Tensor.attention(q, k, v, null, 1.0).toFloatArray();
            double w = Math.exp(1) / (Math.exp(1) + 1);
            assertEquals(w * 1 + (1 - w) * 3, out[0], 1e-5);
            assertEquals(w * 4 + (1 - w) * 2, out[3], 1e-5);
        }
    }

    @Test
    void autogradComputesGradients() {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.of(new float[] {1, -2, 3}, 3).requiresGrad(true);
            x.square().sum().backward();
            assertArrayEquals(new float[] {2, -4, 6}, x.grad().toFloatArray());
        }
    }

    @Test
    void keepMovesResultOutOfScope() {
        Tensor kept;
        try (NativeScope outer = NativeScope.open()) {
            try (NativeScope inner = NativeScope.open()) {
                kept = inner.keep(Tensor.of(new float[] {7}, 1).mul(3));
            }
            assertEquals(21f, kept.item());
        }
    }
}
