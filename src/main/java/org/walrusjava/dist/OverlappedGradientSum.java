package org.walrusjava.dist;

import java.util.ArrayList;
import java.util.List;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.GradientReadyHooks;
import org.walrusjava.tensor.ProcessGroup;
import org.walrusjava.tensor.Tensor;

/**
 * The ranks' gradient sum, started during the backward pass of a rank's last micro-batch of the step (ddp; fsdp,
 * where each bucket holds one owner's weights and its sum goes to that owner alone): the trainable weights are cut
 * into buckets of about 25 MB (WALRUS_DIST_BUCKET_MB) in reverse order (the backward pass reaches the last layers
 * first), and as soon as every gradient of the next bucket has been accumulated
 * ({@link GradientReadyHooks}), a copy of them starts summing over the ranks on a group of its own while the backward
 * pass goes on. {@link #finish} then sums the buckets that never filled during the backward pass (weights that
 * another rank trained but this one did not, such as a dimensionality's encoder), waits for all, and copies the sums
 * back (on fsdp's other ranks: drops them): the result is the one {@link DataParallel#sumGradients} gives after the
 * backward pass, bit for bit.
 *
 * <p>Why a group of its own: the buckets start at different moments on different ranks (one that has not trained a
 * weight starts its bucket only in {@link #finish}), and collectives on one group must come in the same order on
 * every rank. On their own group the buckets always start in bucket order, on every rank, whatever else the ranks
 * exchange meanwhile. A leaf accumulated again after its bucket started (a weight reached by two backward calls of one
 * micro-batch) marks the bucket stale, and {@link #finish} sums it again.
 */
public final class OverlappedGradientSum implements AutoCloseable {
    private final DataParallel ranks;
    private final ProcessGroup group;
    private final List<Tensor> leaves;
    private final List<int[]> buckets = new ArrayList<>();
    /** Per bucket: the rank its sum goes to, or {@link ProcessGroup#ALL}. */
    private final List<Integer> roots = new ArrayList<>();
    private final int[] bucketOf;
    private final GradientReadyHooks hooks;
    private final boolean[] ready;
    private final boolean[] stale;
    private final List<ProcessGroup.GradientBucket> started = new ArrayList<>();
    private boolean armed;
    private int next;
    private int duringBackward;
    private RuntimeException failed;

    OverlappedGradientSum(DataParallel ranks, ProcessGroup group, List<Tensor> leaves, int[] groups, int[] owners,
            long bucketBytes) {
        this.ranks = ranks;
        this.group = group;
        this.leaves = List.copyOf(leaves);
        bucketOf = new int[leaves.size()];
        // Each group in buckets of its own: a bucket that mixed in weights of a dimensionality this step does not
        // train would never fill during the backward pass, nor hold back those that do. Sharded, each bucket holds
        // one owner's weights, as its sum goes to that owner alone.
        int[] owner = owners != null ? owners : new int[leaves.size()];
        for (int g : java.util.Arrays.stream(groups).distinct().sorted().toArray())
            for (int r : java.util.Arrays.stream(owner).distinct().sorted().toArray()) {
                List<Integer> bucket = new ArrayList<>();
                long bytes = 0;
                for (int i = leaves.size() - 1; i >= 0; i--) {
                    if (groups[i] != g || owner[i] != r) continue;
                    bucket.add(i);
                    bucketOf[i] = buckets.size();
                    bytes += leaves.get(i).bytes();
                    if (bytes >= bucketBytes) {
                        addBucket(bucket, owners == null ? ProcessGroup.ALL : r);
                        bytes = 0;
                    }
                }
                if (!bucket.isEmpty()) addBucket(bucket, owners == null ? ProcessGroup.ALL : r);
            }
        ready = new boolean[leaves.size()];
        stale = new boolean[buckets.size()];
        hooks = new GradientReadyHooks(this.leaves, this::accumulated);
    }

    /** The next backward pass is this rank's last of the step: its gradients are final as they come. */
    public void arm() {
        java.util.Arrays.fill(ready, false);
        java.util.Arrays.fill(stale, false);
        next = 0;
        duringBackward = 0;
        failed = null;
        armed = true;
    }

    /** Runs inside the backward pass: an exception must not cross into libtorch, so it is kept for {@link #finish}. */
    private void accumulated(int leaf) {
        if (!armed || failed != null) return;
        try {
            if (bucketOf[leaf] < next) stale[bucketOf[leaf]] = true;
            ready[leaf] = true;
            while (next < buckets.size() && allReady(buckets.get(next))) {
                start(next++);
                duringBackward++;
            }
        } catch (RuntimeException e) {
            failed = e;
        }
    }

    private boolean allReady(int[] bucket) {
        for (int i : bucket) if (!ready[i]) return false;
        return true;
    }

    /**
     * Starts summing a bucket's gradients. A leaf without one is left out: during the backward pass a bucket starts
     * only once all its leaves have one, and in {@link #finish} every rank has given one (of zeros) to every leaf that
     * any rank has, so every rank sums the same leaves.
     */
    private void start(int bucket) {
        List<Tensor> members = java.util.Arrays.stream(buckets.get(bucket)).mapToObj(leaves::get)
                .filter(leaf -> leaf.grad() != null).toList();
        if (!members.isEmpty()) started.add(group.startGradientSum(members, roots.get(bucket)));
    }

    /**
     * After the backward pass: sums what is left, waits for every bucket and puts the sums into the gradients. A leaf
     * that some rank has a gradient for gets one of zeros where it has none; one that no rank has keeps none.
     *
     * @return how many buckets started during the backward pass, of how many
     */
    public int[] finish() {
        armed = false;
        try {
            if (failed != null) throw failed;
            // which leaves any rank trained, and which started buckets any rank saw change afterwards
            double[] flags = new double[leaves.size() + buckets.size()];
            for (int i = 0; i < leaves.size(); i++) flags[i] = leaves.get(i).grad() != null ? 1 : 0;
            for (int b = 0; b < buckets.size(); b++) flags[leaves.size() + b] = stale[b] ? 1 : 0;
            double[] any = ranks.max(flags);
            try (Autograd off = Autograd.off()) {
                for (int i = 0; i < leaves.size(); i++)
                    if (any[i] != 0) leaves.get(i).zeroGradIfNone();
                while (next < buckets.size()) start(next++);
                for (int b = 0; b < buckets.size(); b++) if (any[leaves.size() + b] != 0) start(b);
                for (ProcessGroup.GradientBucket b : started) b.finish();
                for (int i = 0; i < leaves.size(); i++) if (any[i] == 0) leaves.get(i).clearGrad();
            }
            return new int[] {duringBackward, buckets.size()};
        } catch (ProcessGroup.Failure e) {
            throw ranks.failure("all-reduce of the gradients", e);
        } finally {
            started.clear();
        }
    }

    private void addBucket(List<Integer> bucket, int root) {
        buckets.add(bucket.stream().mapToInt(Integer::intValue).toArray());
        roots.add(root);
        bucket.clear();
    }

    @Override
    public void close() {
        hooks.close();
    }
}
