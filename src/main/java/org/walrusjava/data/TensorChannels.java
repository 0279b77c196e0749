package org.walrusjava.data;

/**
 * Where one field's components sit in a channels-last array: {@code componentDims^rank} consecutive channels from
 * {@code firstChannel}, tensor indices row-major (velocity_x, velocity_y, velocity_z; D_xx, D_xy, ..., D_zz).
 */
public record TensorChannels(String field, int rank, int firstChannel, int componentDims) {
    public int count() {
        int n = 1;
        for (int r = 0; r < rank; r++) n *= componentDims;
        return n;
    }

    /** The tensor indices (one per rank) of component {@code component}, 0 <= component < count(). */
    public int[] indices(int component) {
        int[] idx = new int[rank];
        for (int r = rank - 1; r >= 0; r--) {
            idx[r] = component % componentDims;
            component /= componentDims;
        }
        return idx;
    }

    /** The component number of tensor indices {@code idx}. */
    public int component(int[] idx) {
        int c = 0;
        for (int i : idx) c = c * componentDims + i;
        return c;
    }
}
