package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/**
 * T5 relative position bias over time, causal variant: the query-key distance n = max(q - k, 0) is bucketed
 * exactly below numBuckets/2 and logarithmically up to a max distance of 32 above it (the reference's 128 is
 * never passed through, so 32 is what the released weights were trained with). Future keys get -inf.
 */
public final class RelativePositionBias extends Module {
    private static final int MAX_DISTANCE = 32;
    private final Slot table;
    private final int buckets;
    private final int heads;

    public RelativePositionBias(int buckets, int heads) {
        this.buckets = buckets;
        this.heads = heads;
        table = parameter("relative_attention_bias.weight", buckets, heads);
    }

    static int bucket(int distance, int buckets) {
        int exact = buckets / 2;
        if (distance < exact) return distance;
        int b = exact + (int) (Math.log((double) distance / exact) / Math.log((double) MAX_DISTANCE / exact)
                * (buckets - exact));
        return Math.min(b, buckets - 1);
    }

    /** Additive attention bias (1, heads, T, T). */
    public Tensor forward(int t) {
        long[] idx = new long[t * t];
        float[] mask = new float[t * t];
        for (int q = 0; q < t; q++)
            for (int k = 0; k < t; k++) {
                idx[q * t + k] = bucket(Math.max(q - k, 0), buckets);
                mask[q * t + k] = k > q ? Float.NEGATIVE_INFINITY : 0f;
            }
        Tensor w = table.get();
        Tensor bias = w.indexSelect(0, idx).reshape(t, t, heads).permute(2, 0, 1).unsqueeze(0);
        return bias.add(Tensor.of(mask, 1, 1, t, t).to(w.device()).to(w.dtype()));
    }
}
