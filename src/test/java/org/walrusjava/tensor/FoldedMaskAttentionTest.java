package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Attention with a trained mask, folded into the query-key product, against softmax(q k^T s + mask) v and its
 * gradients computed by autograd in float64.
 */
class FoldedMaskAttentionTest {
    private static final long SEQUENCES = 40, HEADS = 3, FRAMES = 6, HEAD_DIM = 16;

    @Test
    void causalTrainedMaskMatchesFloat64() {
        check(true);
    }

    @Test
    void bidirectionalTrainedMaskMatchesFloat64() {
        check(false);
    }

    @Test
    void foldsOnlyTrainedMasksOverShortSequences() {
        try (NativeScope s = NativeScope.open()) {
            Tensor shortQ = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, HEADS, FRAMES, HEAD_DIM);
            Tensor longQ = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, HEADS, HEAD_DIM + 1, HEAD_DIM);
            Tensor mask = Tensor.zeros(DType.FLOAT32, Device.CPU, 1, HEADS, FRAMES, FRAMES);
            assertFalse(FoldedMaskAttention.applies(shortQ, mask), "a constant mask goes to the fused kernel as it is");
            mask.requiresGrad(true);
            assertTrue(FoldedMaskAttention.applies(shortQ, mask));
            assertFalse(FoldedMaskAttention.applies(longQ, mask), "longer than a head: more work folded than saved");
            assertFalse(FoldedMaskAttention.applies(shortQ, null));
        }
    }

    private static void check(boolean causal) {
        try (NativeScope s = NativeScope.open()) {
            SplittableRandom random = new SplittableRandom(causal ? 5 : 6);
            Tensor q = Tensor.uniform(random, DType.FLOAT32, Device.CPU, SEQUENCES, HEADS, FRAMES, HEAD_DIM);
            Tensor k = Tensor.uniform(random, DType.FLOAT32, Device.CPU, SEQUENCES, HEADS, FRAMES, HEAD_DIM);
            Tensor v = Tensor.uniform(random, DType.FLOAT32, Device.CPU, SEQUENCES, HEADS, FRAMES, HEAD_DIM);
            Tensor table = Tensor.uniform(random, DType.FLOAT32, Device.CPU, 1, HEADS, FRAMES, FRAMES).mul(3);
            Tensor gradOut = Tensor.uniform(random, DType.FLOAT32, Device.CPU, SEQUENCES, HEADS, FRAMES, HEAD_DIM);
            float[] blocked = new float[(int) (FRAMES * FRAMES)];
            for (int i = 0; i < FRAMES; i++)
                for (int j = 0; j < FRAMES; j++)
                    blocked[(int) (i * FRAMES + j)] = causal && j > i ? Float.NEGATIVE_INFINITY : 0f;
            Tensor constant = Tensor.of(blocked, 1, 1, FRAMES, FRAMES);
            double scale = 1 / Math.sqrt(HEAD_DIM);

            Tensor[] leaves = {q.requiresGrad(true), k.requiresGrad(true), v.requiresGrad(true),
                    table.requiresGrad(true)};
            Tensor mask = table.add(constant);
            assertTrue(FoldedMaskAttention.applies(q, mask));
            Tensor out = Tensor.attention(q, k, v, mask, scale);
            out.backward(gradOut);

            Tensor[] ref = new Tensor[leaves.length];
            for (int i = 0; i < leaves.length; i++)
                ref[i] = leaves[i].detach().to(DType.FLOAT64).requiresGrad(true);
            Tensor scores = ref[0].matmul(ref[1].transpose(2, 3)).mul(scale).add(ref[3]).add(constant.to(DType.FLOAT64));
            Tensor weights = scores.sub(scores.amax(new long[] {3}, true)).exp();
            Tensor expected = weights.div(weights.sum(new long[] {3}, true)).matmul(ref[2]);
            expected.backward(gradOut.to(DType.FLOAT64));

            assertEquals(0, out.relativeErrorTo(expected), 1e-5, "output");
            String[] names = {"q", "k", "v", "mask"};
            for (int i = 0; i < leaves.length; i++)
                assertEquals(0, leaves[i].grad().relativeErrorTo(ref[i].grad()), 1e-5, "gradient of " + names[i]);
        }
    }
}
