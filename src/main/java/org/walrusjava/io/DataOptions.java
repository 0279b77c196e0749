package org.walrusjava.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The data module's options (`data.module_parameters`, plus `data.well_base_path`).
 *
 * @param nStepsInput history frames per sample (6 in the released recipe; datasets may scale it)
 * @param minDtStride smallest and largest time stride between frames drawn in training (default 1)
 * @param maxSamples samples per "epoch", if given
 * @param datasets per-dataset options in file order, by dataset name
 */
public record DataOptions(
        Optional<String> wellBasePath,
        int batchSize,
        int nStepsInput,
        int nStepsOutput,
        int minDtStride,
        int maxDtStride,
        OptionalInt maxSamples,
        Map<String, DatasetOptions> datasets) {

    static DataOptions from(ConfigTree data) {
        ConfigTree p = data.child("module_parameters");
        Map<String, DatasetOptions> datasets = new LinkedHashMap<>();
        p.optionalChild("well_dataset_info").ifPresent(info -> info.values.keySet().forEach(name ->
                datasets.put(name, DatasetOptions.from(name, info.optionalChild(name)
                        .orElseGet(() -> new ConfigTree(info.file, info.keyPath(name), Map.of()))))));
        return new DataOptions(
                data.optionalString("well_base_path"),
                p.requiredInt("batch_size"),
                p.requiredInt("n_steps_input"),
                p.requiredInt("n_steps_output"),
                p.intOr("min_dt_stride", 1),
                p.intOr("max_dt_stride", 1),
                p.optionalInt("max_samples"),
                datasets);
    }
}
