package org.walrusjava.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.tensor.Tensor;

/**
 * fsdp's sharding of the processor blocks, for runs with activation checkpointing. While a rank runs the
 * micro-batches of an optimizer step, each block's weights stay only on the ranks that own them (their owners update
 * them, see {@link DistributedAdamW}). The others fetch a segment's weights from the owners just before its first
 * pass and again before its re-run and backward pass, and free them right after, so a rank holds its own share of
 * the blocks' weights plus one segment's. In the rank's last micro-batch of the step, as soon as a segment's backward
 * pass is done its gradients are final, and they go to their owners at once (the others drop theirs), so the
 * gradients of the blocks are sharded during the backward pass too, segment by segment, rather than all summed after
 * it. After the micro-batches the parked weights get their storage back and the optimizer step's broadcast fills
 * them: between steps every rank holds every weight, as in ZeRO-2, so validation and checkpoints see a whole model.
 *
 * <p>Why only with checkpointing: without it the backward pass needs every block's weights at once, at the end of the
 * forward pass, so nothing could be freed at the memory peak. Why blocks only: they hold nearly all of Walrus's
 * weights (86% of the released model's; its encoders and decoders weigh about as much as six blocks).
 */
final class BlockWeightShards implements Backpropagation.BlockWeights {
    private final DataParallel ranks;
    private final List<Tensor> leaves;
    private final int[] owners;
    /** Per block: the indices of its trainable weights among the optimizer's parameters. */
    private final List<int[]> byBlock = new ArrayList<>();
    /** Each parameter's shape, to allocate it again. */
    private final List<long[]> shapes = new ArrayList<>();
    private final boolean[] present;
    /** By parameter: summed onto its owner during this step's backward pass (its last micro-batch). */
    private final boolean[] summed;
    private boolean lastMicroBatch;

    BlockWeightShards(List<TrainableParameter> parameters, int[] owners, DataParallel ranks, int blockCount) {
        this.ranks = ranks;
        this.leaves = parameters.stream().map(TrainableParameter::value).toList();
        this.owners = owners;
        for (Tensor leaf : leaves) shapes.add(leaf.shape());
        present = new boolean[blockCount];
        Arrays.fill(present, true);
        summed = new boolean[leaves.size()];
        for (int b = 0; b < blockCount; b++) {
            String prefix = "blocks." + b + ".";
            byBlock.add(java.util.stream.IntStream.range(0, parameters.size())
                    .filter(i -> parameters.get(i).name().startsWith(prefix)).toArray());
        }
    }

    /** Fetches the weights of blocks [from, to) this rank does not own from their owners. Every rank calls it. */
    @Override
    public void gather(int from, int to) {
        for (int b = from; b < to; b++) {
            if (present[b]) continue;
            allocate(b);
            int[] index = byBlock.get(b);
            ranks.broadcastFromOwners(select(leaves, index), select(owners, index));
        }
    }

    /** Frees the weights of blocks [from, to) that this rank does not own. */
    @Override
    public void release(int from, int to) {
        for (int b = from; b < to; b++) {
            for (int i : byBlock.get(b))
                if (owners[i] != ranks.rank()) leaves.get(i).releaseData();
            present[b] = false;
        }
    }

    /** In the step's last micro-batch: sends the final gradients of blocks [from, to) to their owners. */
    @Override
    public void gradientsDone(int from, int to) {
        if (!lastMicroBatch) return;
        int[] index = java.util.stream.IntStream.range(from, to).flatMap(b -> Arrays.stream(byBlock.get(b))).toArray();
        ranks.sumGradients(select(leaves, index), select(owners, index));
        for (int i : index) summed[i] = true;
    }

    /** Starts a step: parks every block weight of other owners. */
    void startStep() {
        release(0, present.length);
        Arrays.fill(summed, false);
        lastMicroBatch = false;
    }

    /** The next micro-batch is this rank's last of the step: its gradients are the final ones. */
    void lastMicroBatch() {
        lastMicroBatch = true;
    }

    /** Which parameters' gradients already reached their owners in this step, by the optimizer's parameter index. */
    boolean[] summedDuringBackward() {
        return summed.clone();
    }

    /**
     * Gives every parked weight its storage back without its values: the caller has every owner broadcast its
     * weights next (the optimizer step does, after updating them), which saves fetching values about to be replaced.
     */
    void allocateAll() {
        for (int b = 0; b < present.length; b++)
            if (!present[b]) allocate(b);
    }

    private void allocate(int block) {
        for (int i : byBlock.get(block))
            if (owners[i] != ranks.rank()) leaves.get(i).reallocate(shapes.get(i));
        present[block] = true;
    }

    private static List<Tensor> select(List<Tensor> all, int[] index) {
        return Arrays.stream(index).mapToObj(all::get).toList();
    }

    private static int[] select(int[] all, int[] index) {
        return Arrays.stream(index).map(i -> all[i]).toArray();
    }
}
