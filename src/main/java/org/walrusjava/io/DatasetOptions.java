package org.walrusjava.io;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of `data.module_parameters.well_dataset_info`: how a dataset of The Well is used in training.
 *
 * @param fieldTransforms field name to the function applied to it, e.g. density -> "torch.log10" (the model then
 *     sees the field under the vocabulary name "log10_density")
 * @param stepDownsampleFactor scales n_steps_input for this dataset (0.5 for the 3-D ones: 6 -> 3 frames)
 * @param batchDownsampleFactor scales the batch size for this dataset
 * @param path a location outside well_base_path, if given
 * @param raw every key of the entry, including any not typed here
 */
public record DatasetOptions(
        String name,
        List<String> includeFilters,
        List<String> excludeFilters,
        Map<String, String> fieldTransforms,
        double stepDownsampleFactor,
        double batchDownsampleFactor,
        Optional<String> path,
        Map<String, Object> raw) {

    static DatasetOptions from(String name, ConfigTree t) {
        return new DatasetOptions(
                name,
                List.copyOf(t.stringListOr("include_filters")),
                List.copyOf(t.stringListOr("exclude_filters")),
                t.stringMapOr("field_transforms"),
                t.doubleOr("step_downsample_factor", 1.0),
                t.doubleOr("batch_downsample_factor", 1.0),
                t.optionalString("path"),
                t.values);
    }
}
