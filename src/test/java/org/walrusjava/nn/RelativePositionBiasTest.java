package org.walrusjava.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/** Buckets worked out by hand from upstream's T5 bucketing (position_biases.py), max distance 32, 32 buckets. */
class RelativePositionBiasTest {
    @Test
    void causalBucketsPastDistancesAndMasksTheFuture() {
        RelativePositionBias causal = new RelativePositionBias(32, 1, false);
        assertEquals(0, causal.bucket(5, 5));
        assertEquals(15, causal.bucket(15, 0), "exact below 16");
        assertEquals(16, causal.bucket(16, 0));
        assertEquals(21, causal.bucket(20, 0), "16 + floor(log(20/16) / log 2 * 16) = 16 + 5");
        assertEquals(31, causal.bucket(40, 0), "capped");
        assertEquals(0, causal.bucket(0, 3), "future keys share bucket 0 (and are masked)");
        assertArrayEquals(new float[] {0, ninf(), ninf(), 1, 0, ninf(), 2, 1, 0}, biasByBucket(causal, 3));
    }

    @Test
    void bidirectionalSplitsTheBucketsBetweenPastAndFutureAndMasksNothing() {
        RelativePositionBias both = new RelativePositionBias(32, 1, true);
        assertEquals(0, both.bucket(5, 5));
        assertEquals(7, both.bucket(7, 0), "exact below 8");
        assertEquals(8, both.bucket(8, 0));
        assertEquals(9, both.bucket(10, 0), "8 + floor(log(10/8) / log 4 * 8) = 8 + 1");
        assertEquals(12, both.bucket(16, 0));
        assertEquals(15, both.bucket(31, 0));
        assertEquals(15, both.bucket(40, 0), "capped at the half's last bucket");
        assertEquals(19, both.bucket(0, 3), "a key 3 steps ahead: 16 + 3");
        assertEquals(24, both.bucket(0, 8));
        assertEquals(29, both.bucket(0, 20), "16 + 8 + floor(log(20/8) / log 4 * 8) = 16 + 8 + 5");
        assertArrayEquals(new float[] {0, 17, 18, 1, 0, 17, 2, 1, 0}, biasByBucket(both, 3));
    }

    private static float ninf() {
        return Float.NEGATIVE_INFINITY;
    }

    /** The (T, T) bias of one head whose table holds each bucket's own number. */
    private static float[] biasByBucket(RelativePositionBias bias, int t) {
        float[] table = new float[32];
        for (int b = 0; b < 32; b++) table[b] = b;
        bias.load(Map.of("relative_attention_bias.weight", Tensor.of(table, 32, 1)), DType.FLOAT32, Device.CPU, "test");
        return bias.forward(t).toFloatArray();
    }
}
