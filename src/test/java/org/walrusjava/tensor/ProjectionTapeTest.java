package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * A replayed projection gives the gradients of a computed one (x strided and shared by two projections, W, b) and
 * skips the product; a re-run that does not repeat the first pass's projections fails instead of mixing them up.
 */
class ProjectionTapeTest {
    @Test
    void replayedProjectionsGiveLibtorchsGradients() {
        try (NativeScope s = NativeScope.open()) {
            Tensor.manualSeed(4);
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 3, 40, 64).requiresGrad(true);
            Tensor w1 = Tensor.randn(DType.FLOAT32, Device.CPU, 96, 64).requiresGrad(true);
            Tensor b1 = Tensor.randn(DType.FLOAT32, Device.CPU, 96).requiresGrad(true);
            Tensor w2 = Tensor.randn(DType.FLOAT32, Device.CPU, 32, 96).requiresGrad(true);
            Tensor strided = x.transpose(0, 1);
            loss(strided, w1, b1, w2).backward(); // no tape, no region: libtorch's linear and autograd
            float[][] expected = {x.grad().toFloatArray(), w1.grad().toFloatArray(), b1.grad().toFloatArray(),
                w2.grad().toFloatArray()};
            for (Tensor t : new Tensor[] {x, w1, b1, w2}) t.clearGrad();

            try (ProjectionTape tape = new ProjectionTape(); RowSplitBackward region = RowSplitBackward.open()) {
                float[] first;
                try (Autograd off = Autograd.off(); ProjectionTape.Use r = tape.record();
                     FlopCount counted = FlopCount.start()) {
                    first = loss(strided, w1, b1, w2).toFloatArray();
                    assertTrue(counted.flops() > 0, "the first pass multiplies");
                }
                Tensor replayed;
                try (ProjectionTape.Use r = tape.replay(); FlopCount counted = FlopCount.start()) {
                    replayed = loss(strided, w1, b1, w2);
                    assertEquals(0, counted.flops(), "the re-run takes the kept products");
                }
                assertArrayEquals(first, replayed.toFloatArray());
                replayed.backward();
                assertEquals(0, region.pending(), "every replayed product handed its gradients on");
            }
            Tensor[] got = {x.grad(), w1.grad(), b1.grad(), w2.grad()};
            for (int i = 0; i < got.length; i++)
                RowSplitLinearTest.assertWithinRoundOff(expected[i], got[i].toFloatArray(), "gradient " + i);
        }
    }

    /** Two projections, the second of the first's output, summed with x's own sum so that x has two consumers. */
    private static Tensor loss(Tensor x, Tensor w1, Tensor b1, Tensor w2) {
        return x.linear(w1, b1).silu().linear(w2, null).square().sum().add(x.sum());
    }

    @Test
    void aReRunThatDiffersFails() {
        try (NativeScope s = NativeScope.open(); ProjectionTape tape = new ProjectionTape();
             RowSplitBackward region = RowSplitBackward.open()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 10, 8);
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 6, 8).requiresGrad(true);
            try (Autograd off = Autograd.off(); ProjectionTape.Use r = tape.record()) {
                x.linear(w, null);
                x.linear(w, null);
            }
            IllegalStateException fewer = assertThrows(IllegalStateException.class, () -> {
                try (ProjectionTape.Use r = tape.replay()) {
                    x.linear(w, null);
                }
            });
            assertEquals("the re-run made 1 of the 2 projections of its first pass", fewer.getMessage());
        }
        try (NativeScope s = NativeScope.open(); ProjectionTape tape = new ProjectionTape();
             RowSplitBackward region = RowSplitBackward.open()) {
            Tensor w = Tensor.randn(DType.FLOAT32, Device.CPU, 6, 8).requiresGrad(true);
            try (Autograd off = Autograd.off(); ProjectionTape.Use r = tape.record()) {
                Tensor.randn(DType.FLOAT32, Device.CPU, 10, 8).linear(w, null);
            }
            IllegalStateException other = assertThrows(IllegalStateException.class, () -> {
                try (ProjectionTape.Use r = tape.replay()) {
                    Tensor.randn(DType.FLOAT32, Device.CPU, 12, 8).linear(w, null);
                }
            });
            assertEquals("projection 0 of the re-run makes 12 x 6 values, its first pass 10 x 6", other.getMessage());
        }
    }
}
