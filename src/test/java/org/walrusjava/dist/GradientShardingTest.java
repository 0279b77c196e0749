package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.DistributedAdamW;
import org.walrusjava.train.GradientClipping;
import org.walrusjava.train.TrainableParameter;

/**
 * Sharded gradient sums (ZeRO-2) between ranks over Gloo on loopback, all ranks threads of this JVM: each gradient's
 * sum reaches its owner alone (with hsdp: its owner on every node), the other ranks keep none, and the clipping norm
 * is the joint one.
 */
class GradientShardingTest {
    /** Sizes of the leaves; the deal over 2 gives 5 -> rank 0, 4 -> 1, 3 -> 1, 2 -> 0. */
    static final long[] SIZES = {5, 3, 2, 4};

    /** What each leaf holds after the sum on each rank (null for no gradient), and the owners the rank was dealt. */
    record Held(float[][] grads, double norm, int[] owners) {}

    /**
     * Rank r's leaves: leaf 0 and 2 have gradient r + 1 + index / 8 on every rank (exact in floats, so that any order
     * of the sums gives the same bits), leaf 1 on rank 1 only (as a 3-D encoder in a rank's 3-D micro-batch), leaf 3
     * on none; then the ranks sum them and compute the clipping norm.
     */
    static Held sumOnRank(DataParallel ranks) {
        try (NativeScope scope = NativeScope.open()) {
            List<TrainableParameter> parameters = new ArrayList<>();
            for (int i = 0; i < SIZES.length; i++) {
                Tensor leaf = Tensor.zeros(SIZES[i]).requiresGrad(true);
                parameters.add(new TrainableParameter("p" + i, leaf, 1));
                float[] grad = new float[(int) SIZES[i]];
                for (int k = 0; k < grad.length; k++) grad[k] = ranks.rank() + 1 + k / 8f;
                boolean has = i == 0 || i == 2 || (i == 1 && ranks.rank() == 1);
                if (has) leaf.mul(Tensor.of(grad, grad.length)).sum().backward();
            }
            List<Tensor> leaves = parameters.stream().map(TrainableParameter::value).toList();
            int[] owners = ranks.owners(SIZES, new int[SIZES.length]);
            ranks.sumGradients(leaves, owners);
            double norm = GradientClipping.clip(parameters, 0, ranks::sumOverShards);
            float[][] held = new float[leaves.size()][];
            for (int i = 0; i < held.length; i++) {
                Tensor g = leaves.get(i).grad();
                held[i] = g == null ? null : g.toFloatArray();
            }
            return new Held(held, norm, owners);
        }
    }

    /**
     * Runs {@code task} on as many ranks as {@code local} has rows (each rank's local rank and ranks on its node),
     * each a thread joining over loopback.
     */
    static <T> List<T> onRanks(int[][] local, java.util.function.Function<DataParallel, T> task) throws Exception {
        int port = DataParallelTrainingTest.freePort();
        ExecutorService pool = Executors.newFixedThreadPool(local.length);
        try {
            List<Future<T>> ranks = new ArrayList<>();
            for (int r = 0; r < local.length; r++) {
                int rank = r;
                ranks.add(pool.submit(() -> {
                    try (DataParallel dp = DataParallel.join(new Rendezvous("127.0.0.1", port, rank, local.length,
                            local[rank][0], local[rank][1]), Map.of("WALRUS_DIST_RENDEZVOUS_TIMEOUT", "60",
                            "WALRUS_DIST_TIMEOUT", "60"), Device.CPU)) {
                        return task.apply(dp);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : ranks) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Held> sums(int n, int perNode, DataParallel.Mode mode) throws Exception {
        int[][] local = new int[n][];
        for (int r = 0; r < n; r++) local[r] = new int[] {r % perNode, perNode};
        return onRanks(local, dp -> sumOnRank(dp.mode(mode)));
    }

    /** Each rank holds its owned leaves' sums exactly as {@code full} (every rank's, replicated) and no other gradient. */
    static void assertShardsOf(List<Held> full, List<Held> sharded) {
        for (int r = 0; r < sharded.size(); r++) {
            Held all = full.get(r), mine = sharded.get(r);
            for (int i = 0; i < SIZES.length; i++) {
                if (mine.owners()[i] == r) assertArrayEquals(all.grads()[i], mine.grads()[i], "rank " + r + ", leaf " + i);
                else assertNull(mine.grads()[i], "rank " + r + " keeps no gradient of leaf " + i + ", owned by another");
            }
            assertEquals(all.norm(), mine.norm(), "rank " + r + ": the joint norm, bit for bit");
        }
    }

    @Test
    void eachGradientSumReachesItsOwnerAloneAndTheNormIsTheJointOne() throws Exception {
        List<Held> sharded = sums(2, 2, DataParallel.Mode.SHARDED);
        List<Held> replicated = sums(2, 2, DataParallel.Mode.REPLICATED);
        assertArrayEquals(new int[] {0, 1, 0, 1}, sharded.get(0).owners());
        assertNull(replicated.get(0).owners());
        assertShardsOf(replicated, sharded);
        // the replicated sums: leaf 0 holds (1 + k/8) + (2 + k/8), leaf 1 rank 1's alone, leaf 3 no gradient
        assertArrayEquals(new float[] {3f, 3.25f, 3.5f, 3.75f, 4f}, replicated.get(0).grads()[0]);
        assertArrayEquals(new float[] {2f, 2.125f, 2.25f}, replicated.get(1).grads()[1]);
        assertNull(replicated.get(0).grads()[3]);
        double squares = 0;
        for (float[] g : replicated.get(0).grads())
            if (g != null) for (float x : g) squares += (double) x * x;
        assertEquals(Math.sqrt(squares), replicated.get(0).norm(), 1e-12);
    }

    @Test
    void hsdpOnTwoNodesOfTwoShardsWithinEachNodeAndSumsAcrossThem() throws Exception {
        List<Held> hybrid = sums(4, 2, DataParallel.Mode.HYBRID);
        List<Held> replicated = sums(4, 2, DataParallel.Mode.REPLICATED);
        // dealt within a node: local owners 0, 1, 0, 1, so node 1's owners are ranks 2, 3, 2, 3
        for (int r = 0; r < 4; r++) {
            int first = r < 2 ? 0 : 2;
            assertArrayEquals(new int[] {first, first + 1, first, first + 1}, hybrid.get(r).owners(), "rank " + r);
        }
        // leaf 1 has a gradient on node 0 (rank 1) only: node 1's owner takes part in its sum with zeros
        assertShardsOf(replicated, hybrid);
        assertArrayEquals(new float[] {10f, 10.5f, 11f, 11.5f, 12f}, replicated.get(0).grads()[0]);
        assertArrayEquals(hybrid.get(1).grads()[1], hybrid.get(3).grads()[1]);
        System.out.printf("hsdp, 2 nodes x 2 ranks: owners %s and %s, norm %.17g on every rank%n",
                java.util.Arrays.toString(hybrid.get(0).owners()), java.util.Arrays.toString(hybrid.get(2).owners()),
                hybrid.get(0).norm());
    }

    @Test
    void hsdpRanksOnNodesOfTwoHoldHalfTheGradientsAndMomentsNotAQuarter() throws Exception {
        int[][] local = {{0, 2}, {1, 2}, {0, 2}, {1, 2}};
        List<List<List<DistributedAdamW.Memory>>> measured = onRanks(local, dp -> List.of(
                DistBenchmark.measure(dp, DataParallel.Mode.REPLICATED), DistBenchmark.measure(dp, DataParallel.Mode.HYBRID),
                DistBenchmark.measure(dp, DataParallel.Mode.SHARDED)));
        List<DistributedAdamW.Memory> ddp = measured.get(0).get(0), hsdp = measured.get(0).get(1), fsdp = measured.get(0).get(2);
        long whole = ddp.get(0).moments(), largest = 0;
        for (long[] shape : new org.walrusjava.model.WalrusModel(org.walrusjava.bench.ModelSizes.tiny()).shapes().values())
            largest = Math.max(largest, 8 * java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        for (int r = 0; r < 4; r++) {
            System.out.printf("hsdp, 2 nodes x 2 ranks: rank %d holds %.3f MB of moments (fsdp over 4: %.3f MB, ddp: %.3f MB)%n",
                    r, hsdp.get(r).moments() / 1e6, fsdp.get(r).moments() / 1e6, ddp.get(r).moments() / 1e6);
            assertEquals(whole / 2.0, hsdp.get(r).moments(), 3 * largest, "rank " + r + " holds about half the moments");
            assertEquals(whole / 4.0, fsdp.get(r).moments(), 3 * largest, "rank " + r + " holds about a quarter over 4");
            assertEquals(2 * hsdp.get(r).gradients(), hsdp.get(r).moments());
            assertEquals(hsdp.get(r % 2), hsdp.get(r), "each node holds the same shards");
        }
        assertEquals(whole, hsdp.get(0).moments() + hsdp.get(1).moments(), "a node's shards are the whole");
    }

    @Test
    void hsdpOnOneNodeIsFsdpAndWithOneRankPerNodeIsDdp() throws Exception {
        List<Held> oneNode = sums(2, 2, DataParallel.Mode.HYBRID), fsdp = sums(2, 2, DataParallel.Mode.SHARDED);
        List<Held> oneRankEach = sums(2, 1, DataParallel.Mode.HYBRID), ddp = sums(2, 1, DataParallel.Mode.REPLICATED);
        for (int r = 0; r < 2; r++) {
            assertArrayEquals(fsdp.get(r).owners(), oneNode.get(r).owners());
            assertArrayEquals(fsdp.get(r).grads(), oneNode.get(r).grads());
            assertEquals(fsdp.get(r).norm(), oneNode.get(r).norm());
            assertNull(oneRankEach.get(r).owners(), "every rank updates every parameter");
            assertArrayEquals(ddp.get(r).grads(), oneRankEach.get(r).grads());
            assertEquals(ddp.get(r).norm(), oneRankEach.get(r).norm());
        }
    }

    @Test
    void hsdpRefusesNodesOfUnequalSizesOnEveryRank() throws Exception {
        // node 0 runs ranks 0 and 1, node 1 rank 2 alone
        List<String> said = onRanks(new int[][] {{0, 2}, {1, 2}, {0, 1}},
                dp -> assertThrows(UserError.class, () -> dp.mode(DataParallel.Mode.HYBRID)).getMessage());
        for (int r = 0; r < 3; r++)
            assertEquals("rank " + r + ": hsdp needs the same number of ranks on every node, but LOCAL_WORLD_SIZE "
                    + "ranges from 1 to 2 over the ranks", said.get(r));
    }
}
