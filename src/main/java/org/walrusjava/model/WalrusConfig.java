package org.walrusjava.model;

import java.util.List;

/**
 * The architecture of a Walrus model (the `model` section of `extended_config.yaml`, plus the vocabulary size
 * `n_states`, which the YAML leaves to the field map). Released values: hidden 1408, intermediate 352, 40 blocks,
 * 16 heads, 67 states, base kernels [[8,4],[8,4],[8,4]].
 *
 * @param baseKernel per axis (conv-1 kernel, conv-2 kernel)
 * @param includeD encoder/decoder dimensionalities present ("embed.2", "embed.3")
 */
public record WalrusConfig(
        int hiddenDim,
        int intermediateDim,
        int processorBlocks,
        int spaceHeads,
        int timeHeads,
        int nStates,
        int groups,
        boolean causalInTime,
        boolean jitterPatches,
        boolean usePeriodicFixedJitter,
        List<Integer> includeD,
        int[][] baseKernel,
        double dropPath,
        double inputFieldDrop,
        int gradientCheckpointingFreq) {

    public int headDim() {
        return hiddenDim / spaceHeads;
    }

    /** The released 1.3B configuration. */
    public static WalrusConfig released() {
        return new WalrusConfig(1408, 352, 40, 16, 16, 67, 16, true, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.05, 0.0, 2);
    }

    /** The same architecture with another vocabulary size (fine-tuning adds fields). */
    public WalrusConfig withStates(int n) {
        return new WalrusConfig(hiddenDim, intermediateDim, processorBlocks, spaceHeads, timeHeads, n, groups,
                causalInTime, jitterPatches, usePeriodicFixedJitter, includeD, baseKernel, dropPath, inputFieldDrop,
                gradientCheckpointingFreq);
    }
}
