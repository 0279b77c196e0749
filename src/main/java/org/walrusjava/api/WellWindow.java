package org.walrusjava.api;

import java.nio.file.Path;
import org.walrusjava.rollout.FieldLayout;
import org.walrusjava.rollout.PhysicalChannels;
import org.walrusjava.rollout.PredictionFile;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.tensor.Tensor;

/**
 * A window of Well data ready for the model, with the true frames that follow it. Everything is in model space:
 * 2-D data inflated to 3-D, field transforms applied (log10_density, ...), channels as {@link #caseSpec()} lists
 * them.
 *
 * @param caseSpec channel names, vocabulary indices, padded-field mask, boundary table, T, B = 1 and grid
 * @param raw (T, 1, C, H, W, D): the variable channels of each frame, then the constant channels
 * @param solid (1, 1, 1, H, W, D), 1 where a `mask` constant field marks a solid cell; null without one
 * @param truth the frames after the window, [frame][variable channel][cell], solid cells zero
 * @param lastInput the window's last frame, [variable channel][cell], solid cells zero (the persistence baseline)
 */
public record WellWindow(CaseSpec caseSpec, Tensor raw, Tensor solid, float[][][] truth, float[][] lastInput,
                         Source source) {

    /**
     * Where the window is: frames start, start + stride, ... of a trajectory.
     *
     * @param trajectory index over all files of the split (-1 for a window drawn by its dataset-wide index);
     *     {@code trajectoryInFile} within {@code file}
     * @param times time of every window frame, then of every truth frame
     * @param steps source step of every window frame, then of every truth frame
     * @param physical how to write variable channels back in the file's units and layout
     */
    public record Source(Path file, String datasetName, int trajectory, int trajectoryInFile, int start, int stride,
                         int history, float[] times, int[] steps, PhysicalChannels physical) {}

    /** The starting window of a rollout. */
    public Rollout.Window rolloutWindow() {
        return new Rollout.Window(raw, caseSpec.fieldIndices(), caseSpec.bcs(), caseSpec.variableChannels(),
                caseSpec.paddedFieldMask(), solid);
    }

    /** The variable channels on the grid, padded components marked: what metrics and pictures cover. */
    public FieldLayout layout() {
        long[] s = caseSpec.spatialShape();
        return new FieldLayout(caseSpec.variableFields(), caseSpec.paddedFieldMask(),
                new int[] {(int) s[0], (int) s[1], (int) s[2]});
    }

    /** Where predicted frames 0, 1, ... sit in the source, for writing them back as a Well file. */
    public PredictionFile.Source predictionSource() {
        int h = source.history();
        return new PredictionFile.Source(source.file(), source.trajectoryInFile(),
                java.util.Arrays.copyOfRange(source.steps(), h, source.steps().length),
                java.util.Arrays.copyOfRange(source.times(), h, source.times().length), source.physical());
    }
}
