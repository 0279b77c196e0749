package org.walrusjava.train;

import org.walrusjava.tensor.Tensor;

/**
 * One training example set, all samples from the same dataset (so they share fields and boundaries).
 *
 * @param raw window (T, B, C, H, W, D) in physical units: variable channels first, then constant channels
 * @param next the true next frame of the variable channels (1, B, C_var, H, W, D)
 * @param labels vocabulary index per channel of {@code raw}
 * @param bcs boundary table (3, 2) shared by the batch (WALL 0, OPEN 1, PERIODIC 2)
 * @param realChannel per variable channel, false for padded tensor components
 * @param dataset name of the source dataset (for logs and per-dataset validation)
 */
public record Batch(Tensor raw, Tensor next, long[] labels, int[][] bcs, boolean[] realChannel, String dataset) {
    public int variableChannels() {
        return realChannel.length;
    }

    public long samples() {
        return raw.size(1);
    }
}
