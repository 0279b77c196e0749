package org.walrusjava.train;

import java.util.ArrayList;
import java.util.List;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.tensor.Tensor;

/**
 * fsdp's weight sharding, for runs with activation checkpointing: while a rank runs the micro-batches of an optimizer
 * step, each processor block's weights stay only on the ranks that own them (their owners update them, see
 * {@link DistributedAdamW}). The others fetch a block's weights from the owners just before the block runs (its
 * first pass, then its re-run and backward pass) and free them right after, so a rank holds its own share of the
 * blocks' weights plus one segment's. After the micro-batches, once the gradients have reached their owners, the
 * parked weights get their storage back and the optimizer step's broadcast fills them: outside the micro-batches
 * every rank holds every weight, as in ZeRO-2, so validation and checkpoints see a whole model.
 *
 * <p>Why only with checkpointing: without it the backward pass needs every block's weights at once, at the end of the
 * forward pass, so nothing could be freed at the memory peak. Why blocks only: they hold nearly all of Walrus's
 * weights (the encoder and decoder of the released model weigh about as much as one block).
 */
final class BlockWeightShards implements Backpropagation.BlockWeights {
    private final DataParallel ranks;
    /** Per block: its trainable weights and their owners. */
    private final List<List<Tensor>> weights = new ArrayList<>();
    private final List<int[]> owners = new ArrayList<>();
    /** Per block: each weight's shape, to allocate it again. */
    private final List<List<long[]>> shapes = new ArrayList<>();
    private final boolean[] present;

    BlockWeightShards(List<TrainableParameter> parameters, int[] owner, DataParallel ranks, int blockCount) {
        this.ranks = ranks;
        present = new boolean[blockCount];
        java.util.Arrays.fill(present, true);
        for (int b = 0; b < blockCount; b++) {
            List<Tensor> ws = new ArrayList<>();
            List<Integer> os = new ArrayList<>();
            List<long[]> ss = new ArrayList<>();
            String prefix = "blocks." + b + ".";
            for (int i = 0; i < parameters.size(); i++)
                if (parameters.get(i).name().startsWith(prefix)) {
                    ws.add(parameters.get(i).value());
                    os.add(owner[i]);
                    ss.add(parameters.get(i).value().shape());
                }
            weights.add(ws);
            owners.add(os.stream().mapToInt(Integer::intValue).toArray());
            shapes.add(ss);
        }
    }

    /** Fetches the weights of blocks [from, to) this rank does not own from their owners. Every rank calls it. */
    @Override
    public void gather(int from, int to) {
        for (int b = from; b < to; b++) {
            if (present[b]) continue;
            allocate(b);
            ranks.broadcastFromOwners(weights.get(b), owners.get(b));
        }
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
        List<Tensor> ws = weights.get(block);
        for (int i = 0; i < ws.size(); i++)
            if (!own(block, i)) ws.get(i).reallocate(shapes.get(block).get(i));
        present[block] = true;
    }

    /** Frees the weights of blocks [from, to) that this rank does not own. */
    @Override
    public void release(int from, int to) {
        for (int b = from; b < to; b++) {
            List<Tensor> ws = weights.get(b);
            for (int i = 0; i < ws.size(); i++)
                if (!own(b, i)) ws.get(i).releaseData();
            present[b] = false;
        }
    }

    void releaseAll() {
        release(0, present.length);
    }

    private boolean own(int block, int i) {
        return owners.get(block)[i] == ranks.rank();
    }
}
