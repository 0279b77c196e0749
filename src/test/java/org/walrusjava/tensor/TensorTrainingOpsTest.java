package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The tensor-layer additions the trainer relies on: in-place updates, gradient control, generator state. */
class TensorTrainingOpsTest {
    @Test
    void inPlaceUpdates() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor b = Tensor.of(new float[] {2, 4, 8}, 3);
        a.mul_(2).add_(b, 0.5);
        assertArrayEquals(new float[] {3, 6, 10}, a.toFloatArray());
        a.addcmul_(b, b, 0.25).addcdiv_(b, b, -1);
        assertArrayEquals(new float[] {3, 9, 25}, a.toFloatArray());
        a.lerp_(b, 0.5);
        assertArrayEquals(new float[] {2.5f, 6.5f, 16.5f}, a.toFloatArray());
    }

    @Test
    void backwardWithUpstreamGradientAndClearGrad() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.square();
        y.backward(Tensor.of(new float[] {1, 10}, 2));
        assertArrayEquals(new float[] {2, 40}, x.grad().toFloatArray());
        x.clearGrad();
        assertNull(x.grad());
        x.mul(3).sum().backward();
        assertArrayEquals(new float[] {3, 3}, x.grad().toFloatArray());
    }

    @Test
    void generatorStateRestoresTheSameDraws() {
        Tensor.manualSeed(7);
        Tensor.rand(DType.FLOAT32, Device.CPU, 5);
        Tensor state = Tensor.generatorState(Device.CPU).copy();
        float[] first = Tensor.rand(DType.FLOAT32, Device.CPU, 5).toFloatArray();
        Tensor.rand(DType.FLOAT32, Device.CPU, 17);
        Tensor.setGeneratorState(Device.CPU, state);
        assertArrayEquals(first, Tensor.rand(DType.FLOAT32, Device.CPU, 5).toFloatArray());
    }
}
