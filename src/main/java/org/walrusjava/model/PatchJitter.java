package org.walrusjava.model;

import org.walrusjava.BoundaryCondition;

import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Tensor;

/**
 * Boundary padding, boundary-flag channels and the random patch roll in front of the encoder, and their exact
 * inverse after the decoder (the reference's fixed-periodic-jitter variant, spec §1.2 and Corrections 2, 5, 9).
 *
 * <p>Per real axis with strides (s1, s2) and base kernels (k1, k2): the encoder's receptive patch is
 * k1 + s1 (k2 - 1) and its stride s1 s2; half their difference ("extra") is added on each side so that edge
 * points are seen by as many patches as interior ones. Non-periodic axes get zero padding of extra + s1 s2 / 2
 * (the second term gives the roll room to move real data across patch borders), marked by flag channels;
 * periodic axes get circular padding of extra, applied after the roll so that it wraps the rolled data.
 * Order (Corrections 5): zero-pad -> append flags -> roll -> circular-pad.
 */
final class PatchJitter {
    /** What was done, for {@link #undo}. Arrays are per spatial axis (H, W, D). */
    record Plan(long[] zeroPad, long[] circularPad, long[] rolls, boolean[] rolled) {}

    record Result(Tensor padded, Plan plan) {}

    private PatchJitter() {}

    static Result apply(Tensor x, int[][] bcs, int[][] strides, int[][] baseKernel, Rolls rolls) {
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
            else zeroPad[a] = extra + effStride / 2;
        }
        Tensor padded = x.padConstant(torchOrder(zeroPad), 0f);
        long[] paddedShape = Arrays.copyOfRange(padded.shape(), 3, 6);
        Tensor flags = flagChannels(paddedShape, zeroPad, bcs).to(x.device()).to(x.dtype());
        long t = x.size(0), b = x.size(1);
        flags = flags.unsqueeze(0).unsqueeze(0).expand(t, b, 3, paddedShape[0], paddedShape[1], paddedShape[2]);
        padded = Tensor.cat(List.of(padded, flags), 2);

        long[] roll = new long[3];
        boolean[] rolled = new boolean[3];
        for (int a = 0; a < 3; a++) {
            if (shape[a] == 1) continue;
            rolled[a] = true;
            if (strides[a][0] * strides[a][1] <= 1) continue;
            long h = BoundaryCondition.periodic(bcs, a) ? paddedShape[a] / 2 : zeroPad[a];
            roll[a] = rolls.patchRoll(a, (int) h);
        }
        padded = rollAxes(padded, roll, rolled, 1);
        for (int a = 0; a < 3; a++) padded = padded.padCircular(3 + a, circularPad[a], circularPad[a]);
        return new Result(padded, new Plan(zeroPad, circularPad, roll, rolled));
    }

    /** Inverts {@link #apply} on the decoder output (T, B, C, H', W', D'). */
    static Tensor undo(Tensor y, Plan plan) {
        for (int a = 0; a < 3; a++) y = crop(y, 3 + a, plan.circularPad()[a]);
        y = rollAxes(y, plan.rolls(), plan.rolled(), -1);
        for (int a = 0; a < 3; a++) y = crop(y, 3 + a, plan.zeroPad()[a]);
        return y;
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

    private static Tensor crop(Tensor x, int dim, long each) {
        return each == 0 ? x : x.narrow(dim, each, x.size(dim) - 2 * each);
    }

    /** F.pad order: last axis first, (lo, hi) per axis. */
    private static long[] torchOrder(long[] perAxis) {
        return new long[] {perAxis[2], perAxis[2], perAxis[1], perAxis[1], perAxis[0], perAxis[0]};
    }
}
