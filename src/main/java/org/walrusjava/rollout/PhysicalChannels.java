package org.walrusjava.rollout;

import org.walrusjava.data.FieldTransform;

/**
 * How the model's variable channels map back to a Well file's stored variable channels (loader order, before 2-D ->
 * 3-D inflation and field transforms): stored channel s is model channel {@code modelChannel[s]}, whose values are
 * turned back into physical units by undoing {@code transform[s]} (null where the field is not transformed).
 */
public record PhysicalChannels(int[] modelChannel, FieldTransform[] transform) {
    public PhysicalChannels {
        if (modelChannel.length != transform.length) {
            throw new IllegalArgumentException(modelChannel.length + " channels but " + transform.length
                    + " transforms");
        }
        modelChannel = modelChannel.clone();
        transform = transform.clone();
    }

    public int size() {
        return modelChannel.length;
    }

    /**
     * A model-space value of stored channel s in physical units: 10^x undoes log10; a zeros_like field carries no
     * information, so it stays 0.
     */
    public float toPhysical(int s, float value) {
        FieldTransform t = transform[s];
        if (t == null) return value;
        return switch (t) {
            case LOG10 -> (float) Math.pow(10, value);
            case ZEROS_LIKE -> 0f;
        };
    }
}
