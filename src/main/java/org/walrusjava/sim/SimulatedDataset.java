package org.walrusjava.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.walrusjava.StagedFolder;
import org.walrusjava.UserError;
import org.walrusjava.data.FieldStatistics;
import org.walrusjava.data.Stats;
import org.walrusjava.data.WellSpec;
import org.walrusjava.data.WellYaml;

/**
 * Simulates a whole Well dataset: N trajectories of a system, each with its own seed and its own drawn
 * parameters, divided by trajectory into train, valid and test, under a dataset root laid out like the published
 * ones:
 *
 * <pre>
 *   ROOT/data/{train,valid,test}/NAME_SPLIT_NNN.hdf5   one trajectory per file
 *   ROOT/NAME.yaml                                      metadata (from the valid split, as upstream)
 *   ROOT/stats.yaml                                     normalisation statistics of the train split
 * </pre>
 *
 * The root is built in a hidden folder next to it and renamed into place when complete, so ROOT either holds a
 * whole dataset or what it held before. Trajectories are simulated on several threads (systems keep no state);
 * files are written one at a time (libhdf5 is not thread-safe).
 */
public final class SimulatedDataset {
    /**
     * @param frames saved frames per trajectory (The Well's n_steps_per_trajectory)
     * @param seed trajectory i gets {@link #trajectorySeed}(seed, i), so a larger N keeps the first trajectories
     */
    public record Request(SimulatedSystem system, int trajectories, int frames, int resolution, long seed,
                          SplitFractions splits) {
        public Request {
            GridSizes.require(system.name(), system.nSpatialDims(), resolution);
            if (frames < 2) throw new UserError("--steps: at least 2 frames per trajectory are needed, got " + frames);
            splits.counts(trajectories);
        }
    }

    /**
     * @param files split name -> files, in trajectory order
     * @param persistenceOneStep split name -> mean over its trajectories of the persistence 1-step VRMSE
     */
    public record Result(Path root, String name, Map<String, List<Path>> files, Map<String, Double> persistenceOneStep) {}

    /** Frames simulated so far, of all trajectories together. */
    @FunctionalInterface
    public interface Progress {
        void update(long framesDone, long framesTotal);
    }

    private SimulatedDataset() {}

    /** The seed of trajectory {@code index}: the index-th draw of a generator seeded with {@code seed}. */
    public static long trajectorySeed(long seed, int index) {
        SplittableRandom rng = new SplittableRandom(seed);
        long s = 0;
        for (int i = 0; i <= index; i++) s = rng.nextLong();
        return s;
    }

    /**
     * Simulates and writes the dataset. {@code root} must not exist or be empty unless {@code replace} is set, in
     * which case what it holds is removed once the new dataset is complete.
     */
    public static Result write(Request r, Path root, boolean replace, Progress progress) {
        try (StagedFolder staging = StagedFolder.create(root, replace)) {
            Result staged = writeInto(r, staging.path(), progress);
            staging.publish();
            Map<String, List<Path>> files = new LinkedHashMap<>();
            staged.files().forEach((split, paths) -> files.put(split, paths.stream().map(staging::published).toList()));
            return new Result(staging.target(), staged.name(), files, staged.persistenceOneStep());
        }
    }

    private static Result writeInto(Request r, Path root, Progress progress) {
        String name = r.system().name();
        int[] counts = r.splits().counts(r.trajectories());
        List<String> splitOf = new ArrayList<>();
        for (int s = 0; s < counts.length; s++)
            for (int k = 0; k < counts[s]; k++) splitOf.add(SplitFractions.SPLITS.get(s));

        Map<String, List<Path>> files = new LinkedHashMap<>();
        Map<String, List<WellSpec>> specs = new LinkedHashMap<>();
        Map<String, Double> persistenceSums = new LinkedHashMap<>();
        for (String split : SplitFractions.SPLITS) {
            files.put(split, new ArrayList<>());
            specs.put(split, new ArrayList<>());
            persistenceSums.put(split, 0.0);
        }
        long total = (long) r.trajectories() * r.frames();
        long[] framesDone = {0};
        Object progressLock = new Object();
        int threads = Math.min(r.trajectories(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "simulate-" + name);
            t.setDaemon(true);
            return t;
        });
        try {
            // at most `ahead` trajectories are simulated but not yet written, which bounds the memory held
            int ahead = 2 * threads;
            List<Future<Trajectory>> pending = new ArrayList<>();
            int[] indexInSplit = new int[SplitFractions.SPLITS.size()];
            for (int i = 0; i < r.trajectories(); i++) {
                while (pending.size() < r.trajectories() && pending.size() <= i + ahead) {
                    long seed = trajectorySeed(r.seed(), pending.size());
                    pending.add(pool.submit(() -> r.system().simulate(seed, r.resolution(), r.frames(), frame -> {
                        synchronized (progressLock) {
                            progress.update(++framesDone[0], total);
                        }
                    })));
                }
                Trajectory t = await(pending.get(i));
                pending.set(i, null);
                String split = splitOf.get(i);
                int s = SplitFractions.SPLITS.indexOf(split);
                Path file = root.resolve("data").resolve(split)
                        .resolve(String.format("%s_%s_%03d.hdf5", name, split, indexInSplit[s]++));
                files.get(split).add(TrajectoryFile.write(t, file));
                specs.get(split).add(TrajectoryFile.spec(t));
                persistenceSums.merge(split, PersistenceBaseline.oneStepVrmse(t), Double::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        FieldStatistics stats = Stats.compute(files.get("train"), null);
        stats.writeYaml(root.resolve("stats.yaml"));
        WellYaml.writeMetadata(root.resolve(name + ".yaml"), specs.get("valid"));
        Map<String, Double> persistence = new LinkedHashMap<>();
        persistenceSums.forEach((split, sum) -> persistence.put(split, sum / files.get(split).size()));
        return new Result(root, name, files, persistence);
    }

    private static Trajectory await(Future<Trajectory> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("simulation failed: " + e.getCause(), e.getCause());
        }
    }
}
