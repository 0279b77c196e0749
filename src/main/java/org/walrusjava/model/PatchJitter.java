package org.walrusjava.model;

import org.walrusjava.BoundaryCondition;

import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Tensor;

/**
 * Boundary padding, boundary-flag channels and the random patch roll in front of the encoder, and their exact
 * inverse after the decoder (spec §1.2 and Corrections 2, 5, 9; upstream {@code patch_jitterers.py}).
 *
 * <p>Per real axis with strides (s1, s2) and base kernels (k1, k2): the encoder's receptive patch is
 * k1 + s1 (k2 - 1) and its stride s1 s2; half their difference ("extra") is added on each side so that edge
 * points are seen by as many patches as interior ones. Non-periodic axes get zero padding of extra, plus
 * s1 s2 / 2 when jittering (room for the roll to move real data across patch borders), marked by flag
 * channels; periodic axes get circular padding of extra.
 *
 * <p>Two variants, chosen by {@code use_periodic_fixed_jitter}. The fixed one (released) circular-pads after the
 * roll, so that the padding wraps the rolled data, and rolls a periodic axis anywhere within half its length and
 * a non-periodic one within its zero padding: zero-pad -> append flags -> roll -> circular-pad (Corrections 5).
 * The original one pads both kinds first and rolls every axis within half a patch (s1 s2 / 2):
 * zero-pad -> circular-pad -> append flags -> roll. Without {@code jitter_patches} nothing is rolled.
 */
final class PatchJitter {
    /** What was done, for {@link #undo}. Arrays are per spatial axis (H, W, D). */
    record Plan(long[] zeroPad, long[] circularPad, boolean circularAfterRoll, long[] rolls, boolean[] rolled) {}

    record Result(Tensor padded, Plan plan) {}

    private PatchJitter() {}

    static Result apply(Tensor x, int[][] bcs, int[][] strides, WalrusConfig config, Rolls rolls) {
        int[][] baseKernel = config.baseKernel();
        boolean jitter = config.jitterPatches();
        boolean fixed = config.usePeriodicFixedJitter();
        long[] shape = Arrays.copyOfRange(x.shape(), 3, 6);
        long[] zeroPad = new long[3];
        long[] circularPad = new long[3];
        for (int a = 0; a < 3; a++) {
            if (shape[a] == 1) continue;
            int s1 = strides[a][0], s2 = strides[a][1];
            int effPatch = baseKernel[a][0] + s1 * (baseKernel[a][1] - 1);
            int effStride = s1 * s2;
            int extra = (effPatch - effStride) / 2;
            if (BoundaryCondition.periodic(bcs, a)) circularPad[a] = extra;
            else zeroPad[a] = extra + (jitter ? effStride / 2 : 0);
        }
        Tensor padded = x.padConstant(torchOrder(zeroPad), 0f);
        long[] beforeCircular = Arrays.copyOfRange(padded.shape(), 3, 6);
        if (!fixed) padded = padCircular(padded, circularPad);
        long[] paddedShape = Arrays.copyOfRange(padded.shape(), 3, 6);
        Tensor flags = flagChannels(paddedShape, zeroPad, bcs).to(x.device()).to(x.dtype());
        long t = x.size(0), b = x.size(1);
        flags = flags.unsqueeze(0).unsqueeze(0).expand(t, b, 3, paddedShape[0], paddedShape[1], paddedShape[2]);
        padded = Tensor.cat(List.of(padded, flags), 2);

        long[] roll = new long[3];
        boolean[] rolled = new boolean[3];
        for (int a = 0; a < 3; a++) {
            if (!jitter || shape[a] == 1) continue;
            rolled[a] = true;
            int effStride = strides[a][0] * strides[a][1];
            if (effStride <= 1) continue;
            long h = !fixed ? effStride / 2 : BoundaryCondition.periodic(bcs, a) ? beforeCircular[a] / 2 : zeroPad[a];
            roll[a] = rolls.patchRoll(a, (int) h);
        }
        padded = rollAxes(padded, roll, rolled, 1);
        if (fixed) padded = padCircular(padded, circularPad);
        return new Result(padded, new Plan(zeroPad, circularPad, fixed, roll, rolled));
    }

    /** Inverts {@link #apply} on the decoder output (T, B, C, H', W', D'). */
    static Tensor undo(Tensor y, Plan plan) {
        if (plan.circularAfterRoll()) y = crop(y, plan.circularPad());
        y = rollAxes(y, plan.rolls(), plan.rolled(), -1);
        if (!plan.circularAfterRoll()) y = crop(y, plan.circularPad());
        return crop(y, plan.zeroPad());
    }

    /**
     * Channel 0 "bias correction" is 1 except inside zero-padded slabs; channel 1 counts slabs whose end is a
     * WALL, channel 2 slabs whose end is OPEN (where slabs of two axes cross, the counts add).
     */
    static Tensor flagChannels(long[] shape, long[] zeroPad, int[][] bcs) {
        int h = (int) shape[0], w = (int) shape[1], d = (int) shape[2];
        int plane = h * w * d;
        float[] f = new float[3 * plane];
        Arrays.fill(f, 0, plane, 1f);
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                for (int k = 0; k < d; k++) {
                    int[] pos = {i, j, k};
                    int cell = (i * w + j) * d + k;
                    for (int a = 0; a < 3; a++) {
                        if (zeroPad[a] == 0) continue;
                        int end = pos[a] < zeroPad[a] ? 0 : pos[a] >= shape[a] - zeroPad[a] ? 1 : -1;
                        if (end < 0) continue;
                        int code = bcs[a][end];
                        if (code == BoundaryCondition.PERIODIC.code())
                            throw new UserError("boundary table axis " + a + " is periodic at one end only: "
                                    + Arrays.toString(bcs[a]));
                        f[(1 + code) * plane + cell] += 1f;
                        f[cell] = 0f;
                    }
                }
        return Tensor.of(f, 3, h, w, d);
    }

    private static Tensor rollAxes(Tensor x, long[] roll, boolean[] rolled, int sign) {
        int n = 0;
        for (boolean r : rolled) if (r) n++;
        if (n == 0) return x;
        long[] shifts = new long[n];
        long[] dims = new long[n];
        int i = 0;
        for (int a = 0; a < 3; a++) {
            if (!rolled[a]) continue;
            shifts[i] = sign * roll[a];
            dims[i++] = 3 + a;
        }
        return x.roll(shifts, dims);
    }

    private static Tensor padCircular(Tensor x, long[] perAxis) {
        for (int a = 0; a < 3; a++) x = x.padCircular(3 + a, perAxis[a], perAxis[a]);
        return x;
    }

    /** Removes perAxis[a] points from both ends of each spatial axis. */
    private static Tensor crop(Tensor x, long[] perAxis) {
        for (int a = 0; a < 3; a++)
            if (perAxis[a] > 0) x = x.narrow(3 + a, perAxis[a], x.size(3 + a) - 2 * perAxis[a]);
        return x;
    }

    /** F.pad order: last axis first, (lo, hi) per axis. */
    private static long[] torchOrder(long[] perAxis) {
        return new long[] {perAxis[2], perAxis[2], perAxis[1], perAxis[1], perAxis[0], perAxis[0]};
    }
}
