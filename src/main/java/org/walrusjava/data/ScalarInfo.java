package org.walrusjava.data;

/**
 * A dataset under `scalars/`: a parameter or a time series without spatial extent. "Variable" iff time-varying.
 *
 * @param shape stored shape (empty for a 0-d constant)
 * @param dtype "float32", "float64", "int64", ...
 */
public record ScalarInfo(String name, int[] shape, String dtype, boolean sampleVarying, boolean timeVarying) {
    public boolean isVariable() {
        return timeVarying;
    }
}
