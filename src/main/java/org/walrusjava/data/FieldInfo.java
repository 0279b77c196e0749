package org.walrusjava.data;

import java.util.List;

/**
 * A field dataset under `t0_fields/`, `t1_fields/` or `t2_fields/`.
 *
 * <p>Stored layout: [trajectory] [time] spatial axes [tensor indices], where the bracketed axes exist only when
 * the field is sample-/time-varying, a spatial axis with {@code dimVarying[a] == false} is stored with size 1 or
 * left out (readers tile it to the full grid), and a rank-r field has r trailing axes of size n_spatial_dims.
 *
 * @param channels flattened component names, row-major over tensor indices and named by `spatial_dims`
 *                 (velocity_x, velocity_y; D_xx, D_xy, ...)
 * @param chunks chunk shape, or null for contiguous storage
 * @param compression "gzip" for deflate, other filter names as jhdf reports them, or null
 */
public record FieldInfo(
        String name,
        int rank,
        int[] shape,
        String dtype,
        boolean sampleVarying,
        boolean timeVarying,
        boolean[] dimVarying,
        boolean symmetric,
        boolean antisymmetric,
        List<String> channels,
        int[] chunks,
        String compression) {

    /** Time-invariant fields are the model's constant fields; the others are the variables it predicts. */
    public boolean isConstant() {
        return !timeVarying;
    }

    public int nChannels() {
        return channels.size();
    }

    /** Path of the dataset inside the file. */
    public String path() {
        return "t" + rank + "_fields/" + name;
    }
}
