package org.walrusjava.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Training or evaluation windows from one dataset, ready for the model: plain float arrays, channels last,
 * row-major.
 *
 * <ul>
 *   <li>{@code input}: (B, T_in, X, Y, Z, C_var) — the n_in input frames of each window;</li>
 *   <li>{@code output}: (B, T_out, X, Y, Z, C_var) — the frames to predict (all remaining frames in
 *       full-trajectory mode);</li>
 *   <li>{@code constants}: (B, X, Y, Z, C_con) — the time-invariant fields of each window's trajectory.</li>
 * </ul>
 * (X, Y, Z) is {@link #spatialShape()}: three axes once 2-D Cartesian data is inflated (Z = 1 before any
 * rotation); data that is not inflated keeps its own number of axes. Channel c of the variable arrays is
 * {@code variableChannels.get(c)}, of the constants {@code constantChannels.get(c)}. All windows of a batch share
 * one augmentation {@link #rotation()}, so shapes, boundaries and masks are per batch.
 *
 * @param fieldIndices vocabulary index of each channel: C_var variable then C_con constant channels (the order
 *                     in which the model stacks them)
 * @param paddedFieldMask per variable channel: true for data, false for components padded by 2-D -> 3-D inflation
 * @param boundaryConditions per spatial axis (lower, upper) codes WALL=0 / OPEN=1 / PERIODIC=2
 * @param windows where each window came from, in batch order
 */
public record Batch(
        String datasetName,
        int batchSize,
        int inputSteps,
        int outputSteps,
        int[] spatialShape,
        List<String> variableChannels,
        List<String> constantChannels,
        float[] input,
        float[] output,
        float[] constants,
        int[] fieldIndices,
        boolean[] paddedFieldMask,
        int[][] boundaryConditions,
        List<Window> windows,
        CubeRotations.Rotation rotation) {

    /**
     * One window: frames {@code tStart + i * stride} of a trajectory of a file; {@code times} are their time
     * coordinates (inputs then outputs).
     */
    public record Window(Path file, int trajectory, int tStart, int stride, float[] times) {}

    /** Points per frame. */
    public int gridSize() {
        int n = 1;
        for (int s : spatialShape) n *= s;
        return n;
    }

    public int nVariable() {
        return variableChannels.size();
    }

    public int nConstant() {
        return constantChannels.size();
    }
}
