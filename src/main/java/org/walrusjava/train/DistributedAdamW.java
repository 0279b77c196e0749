package org.walrusjava.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.dist.OverlappedGradientSum;
import org.walrusjava.tensor.Tensor;

/**
 * AdamW over the ranks of a data-parallel run (a single process is a run of one rank), in the run's
 * {@link DataParallel.Mode}. Replicated: every rank receives every summed gradient and updates every parameter.
 * Sharded (ZeRO-2): each parameter has one owner rank, which alone receives its summed gradient, keeps its moments,
 * updates it and broadcasts the result; the other ranks drop that gradient as soon as it is sent, so at the optimizer
 * step a rank holds the gradients and moments of its own parameters only, about 1/N of them. Hybrid (hsdp): sharded
 * so among the ranks of each node, every node holding every shard once, its owners' sums added across the nodes.
 * The weights themselves are sharded only under fsdp with activation checkpointing ({@link #weightShards}). Either
 * way the weights come out bit for bit as one process would compute them: the clipping norm is the joint one, summed
 * in parameter order.
 */
public final class DistributedAdamW implements AutoCloseable {
    /** Bytes one rank held at its last optimizer step, summed over the tensors themselves. */
    public record Memory(long weights, long gradients, long moments) {}

    private final List<TrainableParameter> parameters;
    private final List<Tensor> leaves;
    private final DataParallel ranks;
    /** The rank that updates each parameter when the state is sharded, else null (all update all). */
    private final int[] owners;
    private final AdamW optimizer;
    /** Per parameter: 0, or the dimensionality that alone trains it ({@link ModelParts#trainedOnlyBy}). */
    private final int[] groups;
    private Memory memory = new Memory(0, 0, 0);

    public DistributedAdamW(List<TrainableParameter> parameters, AdamW.Settings settings, DataParallel ranks) {
        this.parameters = List.copyOf(parameters);
        this.leaves = parameters.stream().map(TrainableParameter::value).toList();
        this.ranks = ranks;
        this.groups = parameters.stream().mapToInt(p -> ModelParts.trainedOnlyBy(p.name())).toArray();
        this.owners = ranks.owners(leaves.stream().mapToLong(Tensor::numel).toArray(), groups);
        List<TrainableParameter> own = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++)
            if (owners == null || owners[i] == ranks.rank()) own.add(parameters.get(i));
        this.optimizer = new AdamW(own, settings);
    }

    /**
     * Sums the micro-batches' gradients over the ranks (onto their owners when sharded) and clips them jointly.
     *
     * @return the joint norm before clipping, the same on every rank (not finite when some gradient on some rank is not)
     */
    public double sumAndClip(double maxNorm) {
        return sumAndClip(maxNorm, new boolean[leaves.size()]);
    }

    /** As {@link #sumAndClip(double)}, where the gradients marked {@code summed} (by index) already were. */
    double sumAndClip(double maxNorm, boolean[] summed) {
        List<Tensor> rest = new ArrayList<>();
        List<Integer> restOwners = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++)
            if (!summed[i]) {
                rest.add(leaves.get(i));
                if (owners != null) restOwners.add(owners[i]);
            }
        if (!rest.isEmpty())
            ranks.sumGradients(rest, owners == null ? null : restOwners.stream().mapToInt(Integer::intValue).toArray());
        return GradientClipping.clip(parameters, maxNorm, ranks::sumOverShards);
    }

    /** Updates the parameters with the scheduled rate {@code lr} (sharded: each rank its own, then shares them). */
    public void step(double lr) {
        optimizer.step(lr);
        long weights = 0;
        for (Tensor leaf : leaves) weights += leaf.bytes();
        memory = new Memory(weights, gradientBytes(), optimizer.momentBytes());
        shareWeights();
        clearGradients();
    }

    /** Bytes of the gradients this rank holds now. */
    long gradientBytes() {
        long bytes = 0;
        for (Tensor leaf : leaves) {
            Tensor g = leaf.grad();
            if (g != null) bytes += g.bytes();
        }
        return bytes;
    }

    /** Sharded: every rank takes each parameter's value from its owner (every rank calls it). */
    public void shareWeights() {
        if (owners != null) ranks.broadcastFromOwners(leaves, owners);
    }

    /** The gradient sum started during the backward pass (ddp and fsdp over several ranks), else null. */
    OverlappedGradientSum overlappedSum() {
        return ranks.overlappedSum(leaves, groups, owners);
    }

    /** Every parameter marked as summed, for {@link #sumAndClip(double, boolean[])} after an overlapped sum. */
    boolean[] allSummed() {
        boolean[] all = new boolean[leaves.size()];
        java.util.Arrays.fill(all, true);
        return all;
    }

    /**
     * fsdp's weight sharding of a model's {@code blockCount} processor blocks between the uses of each block, by the
     * owners of this optimizer; null where the state is replicated.
     */
    BlockWeightShards weightShards(int blockCount) {
        return owners == null ? null : new BlockWeightShards(parameters, owners, ranks, blockCount);
    }

    /** What this rank held at the last {@link #step}: trainable weights, gradients and moments. */
    public Memory memory() {
        return memory;
    }

    /** Every trainable parameter's, not only those this rank's optimizer updates. */
    public void clearGradients() {
        for (Tensor leaf : leaves) leaf.clearGrad();
    }

    /**
     * Every parameter's moments, as one process would hold them. Every rank must call it: with sharded state each
     * owner broadcasts its parameters' moments (hsdp: within its node, so each node gathers its own copy), so that
     * checkpoints load on any number of ranks in any mode.
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> mine = optimizer.state();
        if (owners == null) return new LinkedHashMap<>(mine);
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).name();
            boolean own = owners[i] == ranks.rank();
            Tensor count = Tensor.of(new double[] {own && mine.containsKey(name + ".step")
                    ? mine.get(name + ".step").toLongArray()[0] : 0}, 1);
            ranks.broadcastFromOwner(count, owners[i], "the optimizer's step counts");
            long steps = (long) count.toDoubleArray()[0];
            if (steps == 0) continue;
            Tensor leaf = leaves.get(i);
            for (String moment : List.of(".exp_avg", ".exp_avg_sq")) {
                Tensor t = own ? mine.get(name + moment).copy() : Tensor.empty(leaf.dtype(), leaf.device(), leaf.shape());
                ranks.broadcastFromOwner(t, owners[i], "the optimizer's moments");
                all.put(name + moment, t);
            }
            all.put(name + ".step", Tensor.ofLongs(new long[] {steps}, 1));
        }
        return all;
    }

    /** Restores {@link #state()} (this rank takes its own parameters' moments). */
    public void load(Map<String, Tensor> state, String source) {
        optimizer.load(state, source);
    }

    /** Frees the moments. */
    @Override
    public void close() {
        optimizer.close();
    }
}
