package org.walrusjava.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
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
        Path target = root.toAbsolutePath().normalize();
        if (!replace && isNonEmptyDirectory(target))
            throw new UserError(root + ": exists and is not empty; remove it or choose another --out");
        if (Files.exists(target) && !Files.isDirectory(target)) throw new UserError(root + ": exists and is not a folder");
        Path staging = createStaging(target);
        try {
            Result staged = writeInto(r, staging, progress);
            publish(staging, target);
            return relocate(staged, staging, target);
        } finally {
            deleteTree(staging);
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

    /** The result with its paths moved from the staging folder to the published root. */
    private static Result relocate(Result staged, Path staging, Path target) {
        Map<String, List<Path>> files = new LinkedHashMap<>();
        staged.files().forEach((split, paths) ->
                files.put(split, paths.stream().map(p -> target.resolve(staging.relativize(p))).toList()));
        return new Result(target, staged.name(), files, staged.persistenceOneStep());
    }

    private static Path createStaging(Path target) {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            return Files.createDirectory(parent.resolve("." + target.getFileName() + ".partial-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong())));
        } catch (IOException e) {
            throw new UserError(target + ": cannot create a folder next to it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Renames the complete staging folder to the target. An existing target is first moved aside, put back if the
     * rename fails, and deleted once the new dataset is in place.
     */
    private static void publish(Path staging, Path target) {
        Path old = null;
        try {
            if (isNonEmptyDirectory(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            restore(old, target);
            throw new UserError(target + ": cannot move the finished dataset into place (" + e.getMessage() + ")", e);
        }
        if (old != null) deleteTree(old);
    }

    private static void restore(Path old, Path target) {
        if (old == null) return;
        try {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(target + ": could not be replaced, and its previous content is left in " + old, e);
        }
    }

    private static boolean isNonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // leftovers of a hidden scratch folder are harmless; the dataset itself is complete or untouched
        }
    }
}
