package org.walrusjava.nn;

import org.walrusjava.tensor.Tensor;

/**
 * T5 relative position bias over time. Causal: the query-key distance n = max(q - k, 0) is bucketed exactly below
 * numBuckets/2 and logarithmically up to a max distance of 32 above it, and future keys get -inf. Bidirectional
 * (a model that is not causal in time): half the buckets are for past keys, half for future ones, each half
 * bucketed by |q - k| the same way, and nothing is masked. The max distance is 32 in both because the reference's
 * 128 is never passed through to its bucketing, so 32 is what the released weights were trained with.
 */
public final class RelativePositionBias extends Module {
    private static final int MAX_DISTANCE = 32;
    private final Slot table;
    private final int buckets;
    private final int heads;
    private final boolean bidirectional;

    public RelativePositionBias(int buckets, int heads, boolean bidirectional) {
        this.buckets = buckets;
        this.heads = heads;
        this.bidirectional = bidirectional;
        table = parameter("relative_attention_bias.weight", buckets, heads);
    }

    /** The bucket of a query at time q attending to a key at time k. */
    int bucket(int q, int k) {
        if (!bidirectional) return logBucket(Math.max(q - k, 0), buckets);
        int half = buckets / 2;
        return (k > q ? half : 0) + logBucket(Math.abs(q - k), half);
    }

    private static int logBucket(int distance, int buckets) {
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
                idx[q * t + k] = bucket(q, k);
                mask[q * t + k] = k > q && !bidirectional ? Float.NEGATIVE_INFINITY : 0f;
            }
        Tensor w = table.get();
        Tensor bias = w.indexSelect(0, idx).reshape(t, t, heads).permute(2, 0, 1).unsqueeze(0);
        return bias.add(Tensor.of(mask, 1, 1, t, t).to(w.device()).to(w.dtype()));
    }
}
