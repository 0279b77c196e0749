package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.GradientClipping;
import org.walrusjava.train.TrainableParameter;

/**
 * Sharded gradient sums (ZeRO-2) between 2 ranks over Gloo on loopback, both ranks threads of this JVM: each
 * gradient's sum reaches its owner alone, the other rank keeps none, and the clipping norm is the joint one.
 */
class GradientShardingTest {
    /** Sizes of the leaves; the deal gives 5 -> rank 0, 4 -> 1, 3 -> 1, 2 -> 0. */
    static final long[] SIZES = {5, 3, 2, 4};

    /** What each leaf holds after the sum on each rank: null for no gradient. */
    record Held(float[][] grads, double norm) {}

    /**
     * Rank r's leaves: leaf 0 and 2 have gradient r + 1 + index / 10 on both ranks, leaf 1 on rank 1 only (as a 3-D
     * encoder in a rank's 3-D micro-batch), leaf 3 on none; then the ranks sum them and compute the clipping norm.
     */
    static Held sumOnRank(DataParallel ranks, boolean sharded) {
        try (NativeScope scope = NativeScope.open()) {
            List<TrainableParameter> parameters = new ArrayList<>();
            for (int i = 0; i < SIZES.length; i++) {
                Tensor leaf = Tensor.zeros(SIZES[i]).requiresGrad(true);
                parameters.add(new TrainableParameter("p" + i, leaf, 1));
                float[] grad = new float[(int) SIZES[i]];
                for (int k = 0; k < grad.length; k++) grad[k] = ranks.rank() + 1 + k / 10f;
                boolean has = i == 0 || i == 2 || (i == 1 && ranks.rank() == 1);
                if (has) leaf.mul(Tensor.of(grad, grad.length)).sum().backward();
            }
            List<Tensor> leaves = parameters.stream().map(TrainableParameter::value).toList();
            int[] owners = sharded ? ranks.owners(SIZES, new int[SIZES.length]) : null;
            ranks.sumGradients(leaves, owners);
            double norm = GradientClipping.clip(parameters, 0, sharded ? ranks::sumInPlace : alone -> {});
            float[][] held = new float[leaves.size()][];
            for (int i = 0; i < held.length; i++) {
                Tensor g = leaves.get(i).grad();
                held[i] = g == null ? null : g.toFloatArray();
            }
            return new Held(held, norm);
        }
    }

    static List<Held> onTwoRanks(boolean sharded) throws Exception {
        int port = DataParallelTrainingTest.freePort();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Held>> ranks = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                ranks.add(pool.submit(() -> {
                    try (DataParallel dp = DataParallel.join(new Rendezvous("127.0.0.1", port, rank, 2, rank, 2),
                            Map.of("WALRUS_DIST_RENDEZVOUS_TIMEOUT", "60", "WALRUS_DIST_TIMEOUT", "60"), Device.CPU)) {
                        return sumOnRank(dp.mode(sharded ? DataParallel.Mode.SHARDED : DataParallel.Mode.REPLICATED), sharded);
                    }
                }));
            }
            List<Held> out = new ArrayList<>();
            for (Future<Held> f : ranks) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachGradientSumReachesItsOwnerAloneAndTheNormIsTheJointOne() throws Exception {
        List<Held> sharded = onTwoRanks(true);
        List<Held> replicated = onTwoRanks(false);
        int[] owners = DataParallel.deal(SIZES, new int[SIZES.length], 2);
        assertArrayEquals(new int[] {0, 1, 0, 1}, owners);
        for (int r = 0; r < 2; r++) {
            Held full = replicated.get(r), mine = sharded.get(r);
            for (int i = 0; i < SIZES.length; i++) {
                if (owners[i] == r) assertArrayEquals(full.grads()[i], mine.grads()[i], "rank " + r + ", leaf " + i);
                else assertNull(mine.grads()[i], "rank " + r + " keeps no gradient of leaf " + i + ", owned by the other");
            }
            assertEquals(full.norm(), mine.norm(), "rank " + r + ": the joint norm, bit for bit");
        }
        // the replicated sums: leaf 0 holds (1 + k/10) + (2 + k/10), leaf 1 rank 1's alone, leaf 3 no gradient
        assertArrayEquals(new float[] {3f, 3.2f, 3.4f, 3.6f, 3.8f}, replicated.get(0).grads()[0], 1e-6f);
        assertArrayEquals(new float[] {2f, 2.1f, 2.2f}, replicated.get(1).grads()[1], 1e-6f);
        assertNull(replicated.get(0).grads()[3]);
        double squares = 0;
        for (float[] g : replicated.get(0).grads())
            if (g != null) for (float x : g) squares += (double) x * x;
        assertEquals(Math.sqrt(squares), replicated.get(0).norm(), 1e-5);
    }
}
