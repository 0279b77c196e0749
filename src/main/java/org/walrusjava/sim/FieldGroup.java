package org.walrusjava.sim;

import java.util.List;

/**
 * One field as The Well groups them: a scalar (rank 0, one component named like the field) or a vector (rank 1,
 * components {@code <name>_<axis>} in spatial-axis order, e.g. velocity_x, velocity_y). Constant fields do not
 * change in time (speed of sound, a steady velocity); the others are saved every frame.
 */
public record FieldGroup(String name, int rank, List<String> components, boolean constant) {
    public FieldGroup {
        components = List.copyOf(components);
    }

    public static FieldGroup scalar(String name) {
        return new FieldGroup(name, 0, List.of(name), false);
    }

    public static FieldGroup vector(String name, List<String> spatialDims) {
        return new FieldGroup(name, 1, spatialDims.stream().map(axis -> name + "_" + axis).toList(), false);
    }

    /** The same field, marked as not changing in time. */
    public FieldGroup asConstant() {
        return new FieldGroup(name, rank, components, true);
    }
}
