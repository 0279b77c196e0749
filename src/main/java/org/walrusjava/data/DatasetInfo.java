package org.walrusjava.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link WellDataset} serves, before augmentation: channels after field transforms and inflation, their
 * vocabulary indices, the grid and the boundary table, and how many windows each file gives.
 *
 * @param storedResolution grid as stored, in `spatial_dims` order
 * @param spatialShape grid of served arrays (3 axes when inflated)
 * @param variableLayout channel names and tensor groups of the served variable channels (what rotations act on)
 * @param fieldIndices vocabulary indices of variable then constant channels
 * @param paddedFieldMask per variable channel, true for data (before any rotation; {@link Batch} has the rotated one)
 * @param outputSteps output frames per window (in full-trajectory mode: what the shortest trajectory allows)
 */
public record DatasetInfo(
        String datasetName,
        String gridType,
        List<Path> files,
        int[] trajectoriesPerFile,
        int[] stepsPerTrajectory,
        List<String> storedSpatialDims,
        int[] storedResolution,
        int[] spatialShape,
        boolean inflated,
        ChannelLayout variableLayout,
        ChannelLayout constantLayout,
        int[] fieldIndices,
        boolean[] paddedFieldMask,
        int[][] boundaryConditions,
        FieldVocabulary vocabulary,
        WindowSpec windows,
        int outputSteps,
        long[] windowsPerFile) {

    public List<String> variableChannels() {
        return variableLayout.names();
    }

    public List<String> constantChannels() {
        return constantLayout.names();
    }

    public int nTrajectories() {
        int n = 0;
        for (int t : trajectoriesPerFile) n += t;
        return n;
    }
}
