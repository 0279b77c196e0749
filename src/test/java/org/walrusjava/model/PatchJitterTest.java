package org.walrusjava.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.walrusjava.io.TorchCheckpoint;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * The jitter options as upstream's {@code patch_jitterers.py} defines them, on a 16 x 16 grid whose first axis is
 * periodic and second a wall, strides (2, 2) on both: patch 8 + 2 * 3 = 14, stride 4, so extra = 5 points.
 */
class PatchJitterTest {
    static final int P = 2, W = 0;
    static final int[][] BCS = {{P, P}, {W, W}, {P, P}};
    static final int[][] STRIDES = {{2, 2}, {2, 2}, {1, 1}};

    /** Every patch roll is 1; records the half-range each axis asked for. */
    static final class OneRolls implements Rolls {
        final List<String> asked = new ArrayList<>();

        public int patchRoll(int axis, int h) {
            asked.add(axis + ":" + h);
            return 1;
        }

        public int blockRoll(int block, int tensorDim, int n) {
            asked.add("block" + block + "/" + tensorDim);
            return 1;
        }
    }

    static WalrusConfig config(boolean jitter, boolean fixed) {
        WalrusConfig c = TinyFixtures.config();
        return new WalrusConfig(c.hiddenDim(), c.intermediateDim(), c.processorBlocks(), c.spaceHeads(), c.timeHeads(),
                c.nStates(), c.groups(), c.causalInTime(), jitter, fixed, c.includeD(), c.baseKernel(), c.dropPath(),
                c.inputFieldDrop(), c.gradientCheckpointingFreq());
    }

    /** x[i][j] = 100 i + j on one channel, shape (1, 1, 1, 16, 16, 1). */
    static Tensor grid() {
        float[] v = new float[16 * 16];
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++) v[i * 16 + j] = 100 * i + j;
        return Tensor.of(v, 1, 1, 1, 16, 16, 1);
    }

    /** The data channel along the periodic axis at padded wall index j. */
    static float[] periodicLine(Tensor padded, int j) {
        return padded.select(2, 0).select(0, 0).select(0, 0).select(1, j).select(1, 0).toFloatArray();
    }

    static float[] hundreds(int... rows) {
        float[] out = new float[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = 100 * rows[k];
        return out;
    }

    @Test
    void fixedVariantRollsThenWrapsTheRolledData() {
        OneRolls rolls = new OneRolls();
        PatchJitter.Result r = PatchJitter.apply(grid(), BCS, STRIDES, config(true, true), rolls);
        // periodic axis: half its length (8); wall axis: its whole zero padding, 5 + 4 / 2 = 7
        assertEquals(List.of("0:8", "1:7"), rolls.asked);
        assertArrayEquals(new long[] {1, 1, 4, 26, 30, 1}, r.padded().shape());
        // wall column 7 + 0 holds x[., 0] rolled by one (15, 0, ..., 14), then wrapped by 5 on each side
        assertArrayEquals(hundreds(10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                15, 0, 1, 2, 3), periodicLine(r.padded(), 8));
        assertUndoRestores(r);
    }

    @Test
    void originalVariantWrapsThenRollsWithinHalfAPatch() {
        OneRolls rolls = new OneRolls();
        PatchJitter.Result r = PatchJitter.apply(grid(), BCS, STRIDES, config(true, false), rolls);
        assertEquals(List.of("0:2", "1:2"), rolls.asked, "every axis rolls within stride / 2");
        assertArrayEquals(new long[] {1, 1, 4, 26, 30, 1}, r.padded().shape());
        // x[., 0] wrapped by 5 on each side (11 .. 15, 0 .. 15, 0 .. 4), then the whole padded axis rolled by one;
        // the wall roll of one moves data column 0 from padded index 7 to 8
        assertArrayEquals(hundreds(4, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                0, 1, 2, 3), periodicLine(r.padded(), 8));
        assertUndoRestores(r);
    }

    @Test
    void withoutJitterNothingRollsAndWallsLoseTheRollRoom() {
        OneRolls rolls = new OneRolls();
        PatchJitter.Result r = PatchJitter.apply(grid(), BCS, STRIDES, config(false, true), rolls);
        assertEquals(List.of(), rolls.asked, "no patch roll is drawn");
        assertArrayEquals(new long[] {0, 0, 0}, r.plan().rolls());
        // wall axis padded by extra alone (5, not 7): 16 + 10 = 26
        assertArrayEquals(new long[] {1, 1, 4, 26, 26, 1}, r.padded().shape());
        assertArrayEquals(hundreds(11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                0, 1, 2, 3, 4), periodicLine(r.padded(), 5));
        // bias-correction flag is 0 on the 5-point wall slabs and 1 inside
        float[] bias = r.padded().select(2, 1).select(0, 0).select(0, 0).select(0, 0).select(1, 0).toFloatArray();
        for (int j = 0; j < 26; j++) assertEquals(j < 5 || j >= 21 ? 0f : 1f, bias[j], "bias flag at " + j);
        assertUndoRestores(r);
    }

    @Test
    void modelWithoutJitterDrawsNoPatchOrBlockRoll() {
        WalrusModel model = tinyModel(false);
        Tensor.manualSeed(3);
        Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 1, 2, 128, 32, 1);
        long[] labels = {28, 3};
        int[][] bcs = {{P, P}, {W, W}, {P, P}};
        OneRolls rolls = new OneRolls();
        Tensor out = model.forward(x, labels, bcs, rolls);
        assertEquals(List.of(), rolls.asked, "neither the patch roll nor the per-block token rolls are drawn");
        assertArrayEquals(model.forward(x, labels, bcs, Rolls.zero()).toFloatArray(), out.toFloatArray());

        WalrusModel jittering = tinyModel(true);
        OneRolls drawn = new OneRolls();
        jittering.forward(x, labels, bcs, drawn);
        assertEquals(List.of("0:64", "block0/3", "block0/5", "block1/3", "block1/5"), drawn.asked,
                "with jitter: the patch roll of the strided periodic axis and each block's periodic token rolls");
    }

    private static WalrusModel tinyModel(boolean jitter) {
        WalrusModel m = new WalrusModel(config(jitter, true));
        m.load(TorchCheckpoint.read(TinyFixtures.DIR.resolve("walrus.pt")), DType.FLOAT32, Device.CPU, "walrus.pt");
        return m;
    }

    private static void assertUndoRestores(PatchJitter.Result r) {
        Tensor dataOnly = r.padded().narrow(2, 0, 1);
        assertArrayEquals(grid().toFloatArray(), PatchJitter.undo(dataOnly, r.plan()).toFloatArray());
    }
}
