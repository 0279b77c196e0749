package org.walrusjava.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.UserError;

/**
 * Per-dataset options of the released config (`data.module_parameters.well_dataset_info.<dataset>`): field
 * transforms by field name, and the 3-D datasets' step / batch downsample factors (0.5: half the input steps and
 * half the batch size of 2-D data), and walrus-java's {@code sampling_weight}: the dataset's relative share of
 * training steps (1 by default; the released recipe draws every dataset equally often).
 */
public record WellDatasetOptions(Map<String, FieldTransform> fieldTransforms, double stepDownsampleFactor,
                                 double batchDownsampleFactor, double samplingWeight) {

    public WellDatasetOptions {
        fieldTransforms = Map.copyOf(fieldTransforms);
    }

    public static WellDatasetOptions defaults() {
        return new WellDatasetOptions(Map.of(), 1.0, 1.0, 1.0);
    }

    /** The options for {@code datasetName} in a parsed Walrus config; defaults where the config has none. */
    public static WellDatasetOptions fromConfig(Map<String, Object> config, String datasetName) {
        Object info = FieldVocabulary.ConfigTree.at(config, "data", "module_parameters", "well_dataset_info",
                datasetName);
        if (!(info instanceof Map<?, ?> m)) return defaults();
        Map<String, FieldTransform> transforms = new LinkedHashMap<>();
        if (m.get("field_transforms") instanceof Map<?, ?> t) {
            t.forEach((field, fn) -> transforms.put(String.valueOf(field), FieldTransform.parse(String.valueOf(fn))));
        }
        double weight = number(m.get("sampling_weight"));
        if (!(weight > 0) || !Double.isFinite(weight))
            throw new UserError("data.module_parameters.well_dataset_info." + datasetName + ".sampling_weight is "
                    + weight + "; it must be a positive number");
        return new WellDatasetOptions(transforms, number(m.get("step_downsample_factor")),
                number(m.get("batch_downsample_factor")), weight);
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : 1.0;
    }

    /** Input steps for this dataset given the config's `n_steps_input` (6 -> 3 for the 3-D datasets). */
    public int inputSteps(int configured) {
        return Math.max(1, (int) (configured * stepDownsampleFactor));
    }

    /** Batch size for this dataset given the configured one. */
    public int batchSize(int configured) {
        return Math.max(1, (int) (configured * batchDownsampleFactor));
    }
}
