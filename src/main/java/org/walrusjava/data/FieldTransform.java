package org.walrusjava.data;

import java.util.Arrays;

/**
 * Per-dataset pointwise transforms of the released config (`well_dataset_info.<name>.field_transforms`). A
 * transformed field is a different physical input to the model, so it gets its own vocabulary entry: the channel
 * name is prefixed ("density" under torch.log10 becomes "log10_density").
 */
public enum FieldTransform {
    LOG10("torch.log10", "log10"),
    ZEROS_LIKE("torch.zeros_like", "zeros_like");

    private final String configName;
    private final String prefix;

    FieldTransform(String configName, String prefix) {
        this.configName = configName;
        this.prefix = prefix;
    }

    /** Parses the config spelling ("torch.log10"); the bare function name ("log10") is accepted too. */
    public static FieldTransform parse(String name) {
        for (FieldTransform t : values()) {
            if (t.configName.equals(name) || t.prefix.equals(name)) return t;
        }
        throw new IllegalArgumentException("unsupported field transform '" + name + "' (supported: "
                + Arrays.stream(values()).map(t -> t.configName).toList() + ")");
    }

    /** The channel name after the transform. */
    public String rename(String channel) {
        return prefix + "_" + channel;
    }

    /** Transforms channels [first, first + count) of a channels-last array with {@code channels} per point. */
    public void apply(float[] data, int channels, int first, int count) {
        for (int base = 0; base < data.length; base += channels) {
            for (int c = first; c < first + count; c++) {
                data[base + c] = switch (this) {
                    case LOG10 -> (float) Math.log10(data[base + c]);
                    case ZEROS_LIKE -> 0f;
                };
            }
        }
    }
}
