package org.walrusjava.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

class StrideTableTest {
    private static final StrideTable RELEASED = StrideTable.released();

    @Test
    void releasedTableMatchesTheSpecExamples() {
        assertArrayEquals(new int[][] {{2, 2}, {2, 2}, {1, 1}}, RELEASED.strides(new long[] {128, 128, 1}));
        assertArrayEquals(new int[] {4, 2}, RELEASED.strides(new long[] {256, 32, 1})[0]);
        assertArrayEquals(new int[] {4, 4}, RELEASED.strides(new long[] {512, 32, 1})[0]);
        assertArrayEquals(new int[] {8, 4}, RELEASED.strides(new long[] {1024, 32, 1})[0]);
        assertArrayEquals(new int[] {6, 2}, RELEASED.strides(new long[] {384, 32, 1})[0]);
        assertArrayEquals(new int[][] {{2, 2}, {2, 2}, {2, 2}}, RELEASED.strides(new long[] {64, 64, 64}));
        assertArrayEquals(new int[] {4, 2}, RELEASED.strides(new long[] {128, 128, 128})[0]);
        assertArrayEquals(new int[][] {{1, 1}, {1, 1}, {1, 1}}, RELEASED.strides(new long[] {16, 16, 16}));
    }

    @Test
    void unsupportedSizesNameTheNearestSupportedOnes() {
        UserError e = assertThrows(UserError.class, () -> RELEASED.strides(new long[] {64, 64, 1}));
        assertTrue(e.getMessage().contains("64 points") && e.getMessage().contains("[32, 128]"), e.getMessage());
        assertTrue(e.getMessage().contains("--extended-strides"), e.getMessage());
        UserError e3 = assertThrows(UserError.class, () -> RELEASED.strides(new long[] {32, 32, 32}));
        assertTrue(e3.getMessage().contains("3-D") && e3.getMessage().contains("[16, 64]"), e3.getMessage());
        UserError odd = assertThrows(UserError.class, () -> RELEASED.strides(new long[] {100, 32, 1}));
        assertTrue(odd.getMessage().contains("[32, 128]"), odd.getMessage());
    }

    @Test
    void extendedTableAddsTheForkEntries() {
        assertArrayEquals(new int[] {2, 1}, StrideTable.extended().strides(new long[] {64, 64, 1})[0]);
        assertArrayEquals(new int[] {3, 1}, StrideTable.extended().strides(new long[] {96, 32, 1})[0]);
        assertArrayEquals(new int[] {2, 1}, StrideTable.extended().strides(new long[] {32, 32, 32})[0]);
    }

    /**
     * Spec Corrections 13: a 384-point periodic axis has conv strides (6, 2); upstream's decoder crop leaves it 4
     * points short, ours must restore it. Periodicity: rolling the input by one patch stride (12 points) must roll
     * the output by as much. It cannot be exact: the periodic padding makes the first conv see two columns twice,
     * and the per-channel RMS norms count them (as in the reference), while RoPE positions are not periodic at all;
     * so the blocks' residual branches are zeroed and the equivariance error is compared with the same model
     * treating the axis as a wall, which has no wrap-around and must be far worse.
     */
    @Test
    void strideSixPeriodicAxisKeepsItsShapeAndPeriodicity() {
        WalrusModel model = new WalrusModel(TinyFixtures.config());
        Initializer.initialize(model, 3, DType.FLOAT32, Device.CPU);
        model.slots().forEach((k, slot) -> {
            if (k.contains("attn_out") || k.contains("ff_out") || k.contains("output_head")) slot.get().zero_();
        });
        long[] labels = {28, 3};
        try (Autograd off = Autograd.off()) {
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 1, 2, 384, 32, 1);
            double periodic = equivarianceError(model, x, labels, new int[][] {{2, 2}, {2, 2}, {2, 2}});
            double wall = equivarianceError(model, x, labels, new int[][] {{0, 0}, {2, 2}, {2, 2}});
            assertTrue(periodic < 0.02, "periodic equivariance error " + periodic);
            assertTrue(periodic < wall / 10, "periodic " + periodic + " vs wall " + wall);
        }
    }

    /** The demo's 2-point kernels cover its stride-1 grids but not a 256-point axis, which needs stride 4. */
    @Test
    void kernelsShorterThanTheirStrideAreRefused() {
        WalrusConfig c = TinyFixtures.config();
        int[][] small = {{2, 2}, {2, 2}, {2, 2}};
        WalrusModel model = new WalrusModel(new WalrusConfig(c.hiddenDim(), c.intermediateDim(), c.processorBlocks(),
                c.spaceHeads(), c.timeHeads(), c.nStates(), c.groups(), true, true, true, c.includeD(), small, 0.0, 0.0, 0));
        Initializer.initialize(model, 3, DType.FLOAT32, Device.CPU);
        long[] labels = {28, 3};
        int[][] bcs = {{2, 2}, {2, 2}, {2, 2}};
        try (Autograd off = Autograd.off()) {
            Tensor fits = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 1, 2, 32, 32, 1);
            assertArrayEquals(fits.shape(), model.forward(fits, labels, bcs, Rolls.zero()).shape());
            Tensor tooCoarse = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 1, 2, 256, 32, 1);
            UserError e = assertThrows(UserError.class, () -> model.forward(tooCoarse, labels, bcs, Rolls.zero()));
            assertTrue(e.getMessage().contains("stride 4") && e.getMessage().contains("kernel 2"), e.getMessage());
        }
    }

    /** max |f(roll x) - roll f(x)| / max |f(x)| for a 12-point roll along H; also checks the output shape. */
    private static double equivarianceError(WalrusModel model, Tensor x, long[] labels, int[][] bcs) {
        Tensor y = model.forward(x, labels, bcs, Rolls.zero());
        assertArrayEquals(x.shape(), y.shape());
        Tensor shifted = model.forward(x.roll(new long[] {12}, new long[] {3}), labels, bcs, Rolls.zero());
        Tensor diff = shifted.sub(y.roll(new long[] {12}, new long[] {3})).abs().max();
        return diff.item() / y.abs().max().item();
    }
}
