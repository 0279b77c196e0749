package org.walrusjava.train;

import java.util.Arrays;
import java.util.Random;
import org.walrusjava.UserError;

/**
 * Which windows each micro-batch trains on (spec §5, the reference's BatchedMultisetSampler): a dataset drawn
 * uniformly, whatever its size, then the next {@code batchSize} windows of that dataset's shuffled order. A
 * dataset whose order is used up starts a fresh shuffle (a new "cycle"). Everything it remembers is in
 * {@link #state()}, so a resumed run draws exactly what an uninterrupted one would.
 */
public final class DatasetSampler {
    /** Per dataset: the current cycle (shuffle number) and the position in that cycle's order. */
    public record State(long[] cycles, long[] cursors) {
        public State {
            cycles = cycles.clone();
            cursors = cursors.clone();
        }
    }

    /** One draw: the dataset and its window indices. */
    public record Draw(int dataset, long[] indices) {}

    private final long[] sizes;
    private final long seed;
    private final long[] cycles;
    private final long[] cursors;
    private final long[][] orders;

    public DatasetSampler(long[] datasetSizes, long seed) {
        for (int i = 0; i < datasetSizes.length; i++)
            if (datasetSizes[i] < 1) throw new UserError("training dataset " + i + " has no windows");
        if (datasetSizes.length == 0) throw new UserError("no training datasets");
        this.sizes = datasetSizes.clone();
        this.seed = seed;
        this.cycles = new long[sizes.length];
        this.cursors = new long[sizes.length];
        this.orders = new long[sizes.length][];
    }

    /** Draws the dataset with {@code rng} and takes batchSizes[dataset] windows from it. */
    public Draw next(Random rng, int[] batchSizes) {
        int d = rng.nextInt(sizes.length);
        long[] out = new long[batchSizes[d]];
        for (int i = 0; i < out.length; i++) {
            if (cursors[d] == sizes[d]) {
                cycles[d]++;
                cursors[d] = 0;
                orders[d] = null;
            }
            out[i] = order(d)[(int) cursors[d]++];
        }
        return new Draw(d, out);
    }

    public State state() {
        return new State(cycles, cursors);
    }

    public void restore(State s) {
        if (s.cycles().length != sizes.length)
            throw new UserError("checkpoint sampler has " + s.cycles().length + " datasets, this run " + sizes.length);
        System.arraycopy(s.cycles(), 0, cycles, 0, sizes.length);
        System.arraycopy(s.cursors(), 0, cursors, 0, sizes.length);
        Arrays.fill(orders, null);
    }

    /** The shuffled order of dataset d's current cycle, a function of (seed, dataset, cycle) only. */
    private long[] order(int d) {
        if (orders[d] == null) {
            if (sizes[d] > Integer.MAX_VALUE) throw new UserError("dataset " + d + " has too many windows");
            int n = (int) sizes[d];
            long[] o = new long[n];
            for (int i = 0; i < n; i++) o[i] = i;
            Random r = new Random(Seeds.mix(seed, d, cycles[d]));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                long t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
            orders[d] = o;
        }
        return orders[d];
    }
}
