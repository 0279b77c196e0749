package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
