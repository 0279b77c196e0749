package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Large fp32 projections at inference are split by rows across worker threads; each row is the same product as
 * libtorch's own up to the order OpenBLAS sums in, which depends on the CPU and the block size: so the result must
 * equal torch.linear's within fp32 round-off (1e-5 of the largest value), whatever the number of threads.
 */
class RowSplitLinearTest {
    @Test
    void largeInferenceProjectionEqualsTorchLinearForAnyThreadCount() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor.manualSeed(3);
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 3, 50, 256).transpose(1, 2); // strided input
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            Tensor b = Tensor.randn(DType.FLOAT32, Device.CPU, 500);
            try {
                NativeRuntime.setThreads(1);
                assertFalse(RowSplitLinear.applies(x.t, w.t, b.t), "one thread: nothing to split");
                float[] expected = x.linear(w, b).toFloatArray();
                for (int threads : new int[] {2, 3}) {
                    NativeRuntime.setThreads(threads);
                    assertTrue(RowSplitLinear.applies(x.t, w.t, b.t), "size and mode select the row-split path");
                    Tensor y = x.linear(w, b);
                    assertArrayEquals(new long[] {2, 50, 3, 500}, y.shape());
                    assertWithinRoundOff(expected, y.toFloatArray(), threads + " threads");
                    assertArrayEquals(x.linear(w, null).add(b).toFloatArray(), y.toFloatArray(), 1e-4f,
                            "without a bias");
                }
            } finally {
                NativeRuntime.setThreads(NativeRuntime.threads());
            }
        }
    }

    static void assertWithinRoundOff(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0, diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(diff <= 1e-5 * scale, what + ": max difference " + diff + " of max " + scale);
    }

    @Test
    void workersRunSingleThreadedAndLeaveOtherThreadsTheirCount() throws Exception {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            NativeRuntime.setThreads(2);
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 400, 256);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            x.linear(w, null);
            assertEquals(1, RowSplitLinear.workerThreadCount());
            assertEquals(2, org.bytedeco.pytorch.global.torch.get_num_threads(), "the caller keeps its count");
            int[] seen = new int[1];
            Thread later = new Thread(() -> seen[0] = org.bytedeco.pytorch.global.torch.get_num_threads());
            later.start();
            later.join();
            assertEquals(2, seen[0], "a thread started later gets the caller's count, not the workers'");
        } finally {
            NativeRuntime.setThreads(NativeRuntime.threads());
        }
    }

    @Test
    void autocastProjectionIsLeftToAutocast() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 400, 256);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            try (Autocast a = Autocast.on(Device.CPU, DType.BFLOAT16)) {
                assertFalse(RowSplitLinear.applies(x.t, w.t, null));
                assertEquals(DType.BFLOAT16, x.linear(w, null).dtype());
            }
        }
    }

    /**
     * A recorded projection runs its product and both gradient products on the row-split workers; with one thread it is
     * libtorch's own linear and autograd. The gradients of x (here the output of another op, so the gradient must flow
     * on through the graph), W and b must agree within fp32 round-off at 2 and 3 threads, and a frozen weight gets none.
     */
    @Test
    void recordedProjectionGradientsEqualLibtorchsForAnyThreadCount() {
        try {
            NativeRuntime.setThreads(1);
            Gradients expected = recordedProduct(true);
            for (int threads : new int[] {2, 3}) {
                NativeRuntime.setThreads(threads);
                Gradients actual = recordedProduct(true);
                assertWithinRoundOff(expected.y, actual.y, threads + " threads, y");
                assertWithinRoundOff(expected.x, actual.x, threads + " threads, dL/dx");
                assertWithinRoundOff(expected.w, actual.w, threads + " threads, dL/dW");
                assertWithinRoundOff(expected.b, actual.b, threads + " threads, dL/db");
                Gradients frozen = recordedProduct(false);
                assertNull(frozen.w, "a weight that needs no gradient gets none");
                assertWithinRoundOff(expected.x, frozen.x, threads + " threads, dL/dx with a frozen weight");
            }
        } finally {
            NativeRuntime.setThreads(NativeRuntime.threads());
        }
    }

    @Test
    void recordedProjectionOutsideARegionStaysOnLibtorch() {
        try (NativeScope s = NativeScope.open(); RowSplitBackward region = RowSplitBackward.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 400, 256).requiresGrad(true);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            NativeRuntime.setThreads(2);
            x.linear(w, null);
            assertEquals(1, region.pending(), "inside a region: the row-split product, kept until its backward");
            try (RowSplitBackward inner = RowSplitBackward.open()) {
                x.linear(w, null);
                assertEquals(1, inner.pending());
            }
            assertEquals(1, region.pending(), "an inner region keeps its own products and frees them on closing");
        } finally {
            NativeRuntime.setThreads(NativeRuntime.threads());
        }
        try (NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 400, 256).requiresGrad(true);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 500, 256);
            x.linear(w, null).sum().backward();
            // d(sum(x W^T))/dx = column sums of W, the same for every row of x
            float[] grad = x.grad().toFloatArray();
            float[] expected = w.sum(new long[] {0}, false).toFloatArray();
            for (int i = 0; i < 256; i++) assertEquals(expected[i], grad[i], 1e-3f * Math.max(1, Math.abs(expected[i])));
        }
    }

    private record Gradients(float[] y, float[] x, float[] w, float[] b) {}

    private static Gradients recordedProduct(boolean trainWeight) {
        try (NativeScope s = NativeScope.open(); RowSplitBackward region = RowSplitBackward.open()) {
            Tensor.manualSeed(11);
            Tensor leaf = Tensor.randn(DType.FLOAT32, Device.CPU, 3, 100, 256).requiresGrad(true);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 400, 256).requiresGrad(trainWeight);
            Tensor b = Tensor.randn(DType.FLOAT32, Device.CPU, 400).requiresGrad(true);
            Tensor upstream = Tensor.randn(DType.FLOAT32, Device.CPU, 3, 100, 400);
            Tensor x = leaf.mul(0.5).transpose(0, 1);
            assertEquals(org.bytedeco.pytorch.global.torch.get_num_threads() > 1, RowSplitLinear.applies(x.t, w.t, b.t));
            Tensor y = x.linear(w, b);
            assertEquals(org.bytedeco.pytorch.global.torch.get_num_threads() > 1 ? 1 : 0, region.pending());
            y.mul(upstream.transpose(0, 1)).sum().backward();
            assertEquals(0, region.pending(), "every product handed its gradients on");
            return new Gradients(y.toFloatArray(), leaf.grad().toFloatArray(),
                    trainWeight ? w.grad().toFloatArray() : null, b.grad().toFloatArray());
        }
    }

    @Test
    void smallProjectionStaysOnTorchLinear() {
        try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 10, 32);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 32, 32);
            assertFalse(RowSplitLinear.applies(x.t, w.t, null));
        }
    }
}
