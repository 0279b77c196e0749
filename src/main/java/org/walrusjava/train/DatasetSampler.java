package org.walrusjava.train;

import java.util.Arrays;
import java.util.Random;
import org.walrusjava.UserError;

/**
 * Which windows each micro-batch trains on (spec §5, the reference's BatchedMultisetSampler): a dataset drawn
 * uniformly, whatever its size, then the next {@code batchSize} windows of that dataset's shuffled order. Datasets
 * may instead be given sampling weights (a walrus-java extension, {@code sampling_weight}): a dataset whose steps
 * cost far more than the others' (3-D among 2-D) can then take a smaller share of the steps. A
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
    /** Cumulative sampling weights, or null when all datasets are equally likely. */
    private final double[] cumulativeWeights;
    private final long seed;
    private final long[] cycles;
    private final long[] cursors;
    private final long[][] orders;

    /** Every dataset equally likely, as released. */
    public DatasetSampler(long[] datasetSizes, long seed) {
        this(datasetSizes, null, seed);
    }

    /** @param weights relative probability of each dataset (positive), or null for uniform */
    public DatasetSampler(long[] datasetSizes, double[] weights, long seed) {
        for (int i = 0; i < datasetSizes.length; i++)
            if (datasetSizes[i] < 1) throw new UserError("training dataset " + i + " has no windows");
        if (datasetSizes.length == 0) throw new UserError("no training datasets");
        if (weights != null && weights.length != datasetSizes.length)
            throw new IllegalArgumentException(weights.length + " weights for " + datasetSizes.length + " datasets");
        this.sizes = datasetSizes.clone();
        this.cumulativeWeights = weights == null ? null : cumulative(weights);
        this.seed = seed;
        this.cycles = new long[sizes.length];
        this.cursors = new long[sizes.length];
        this.orders = new long[sizes.length][];
    }

    /** Draws the dataset with {@code rng} and takes batchSizes[dataset] windows from it. */
    public Draw next(Random rng, int[] batchSizes) {
        return next(cumulativeWeights == null ? rng.nextInt(sizes.length) : weighted(rng.nextDouble()), batchSizes);
    }

    /** Takes batchSizes[d] windows from dataset d, which the caller chose (a sampling group's common dataset). */
    public Draw next(int d, int[] batchSizes) {
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

    private int weighted(double u) {
        double target = u * cumulativeWeights[cumulativeWeights.length - 1];
        int d = 0;
        while (d < cumulativeWeights.length - 1 && cumulativeWeights[d] <= target) d++;
        return d;
    }

    private static double[] cumulative(double[] weights) {
        double[] out = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0) || !Double.isFinite(weights[i]))
                throw new UserError("sampling weight of training dataset " + i + " is " + weights[i] + "; it must be positive");
            out[i] = sum += weights[i];
        }
        // equal weights draw exactly as the released uniform sampler does
        return Arrays.stream(weights).distinct().count() == 1 ? null : out;
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
