package org.walrusjava.importer;

import java.lang.foreign.Arena;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.walrusjava.StagedFolder;
import org.walrusjava.UserError;
import org.walrusjava.data.Inflation;
import org.walrusjava.data.Stats;
import org.walrusjava.data.WellSpec;
import org.walrusjava.data.WellWriter;
import org.walrusjava.data.WellYaml;
import org.walrusjava.model.StrideTable;
import org.walrusjava.sim.SplitFractions;
import org.walrusjava.sim.TrajectoryFile;

/**
 * {@code walrus import}: converts the arrays a mapping file points at into a Well dataset root laid out like the
 * published ones ({@code data/{train,valid,test}/NAME_SPLIT.hdf5}, {@code NAME.yaml} from the valid split,
 * {@code stats.yaml} from the train split). Everything the mapping says is checked before anything is written;
 * values are then streamed one frame at a time from memory-mapped arrays, so memory stays bounded by a frame,
 * and the root is published atomically ({@link StagedFolder}).
 */
public final class DatasetImporter {
    /** Frames written so far (of all trajectories and fields' time steps) and in total. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /** @param files split name -> its file (under the published root) */
    public record Result(Path root, String name, int trajectories, int steps, int[] resolution,
                         Map<String, Path> files, Map<String, List<Integer>> trajectoriesBySplit) {
    }

    private DatasetImporter() {}

    public static Result run(ImportMapping mapping, Path out, boolean replace, boolean extendedStrides,
                             Progress progress) {
        // archive members are unpacked beside the result, in a hidden folder that is never published
        try (StagedFolder staging = StagedFolder.create(out, replace);
             StagedFolder scratch = StagedFolder.create(out.resolveSibling(out.getFileName() + "-unpacked"), true);
             Arena arena = Arena.ofShared();
             ArraySource source = mapping.stepFiles()
                     ? Sources.openSteps(mapping.source(), scratch.path(), arena)
                     : Sources.open(mapping.source(), scratch.path(), arena)) {
            ImportPlan plan = ImportPlan.of(mapping, source);
            requireStrideTable(mapping, plan.resolution(), extendedStrides);
            Map<String, List<Integer>> bySplit = split(plan.trajectories(), mapping.splits(), mapping.seed());
            Map<String, Path> files = new LinkedHashMap<>();
            Map<String, WellSpec> specs = new LinkedHashMap<>();
            long total = (long) plan.trajectories() * plan.steps();
            long[] done = {0};
            for (Map.Entry<String, List<Integer>> e : bySplit.entrySet()) {
                WellSpec spec = spec(mapping, plan, e.getValue().size());
                Path file = staging.path().resolve("data").resolve(e.getKey())
                        .resolve(mapping.dataset() + "_" + e.getKey() + ".hdf5");
                write(file, spec, plan, e.getValue(), () -> progress.update(++done[0], total));
                files.put(e.getKey(), file);
                specs.put(e.getKey(), spec);
            }
            Stats.compute(List.of(files.get("train")), null).writeYaml(staging.path().resolve("stats.yaml"));
            WellYaml.writeMetadata(staging.path().resolve(mapping.dataset() + ".yaml"), List.of(specs.get("valid")));
            staging.publish();
            Map<String, Path> published = new LinkedHashMap<>();
            files.forEach((split, file) -> published.put(split, staging.published(file)));
            return new Result(staging.target(), mapping.dataset(), plan.trajectories(), plan.steps(),
                    plan.resolution(), published, bySplit);
        }
    }

    /** The model's encoder takes only grid sizes of its stride table: refuse others before converting anything. */
    private static void requireStrideTable(ImportMapping mapping, int[] resolution, boolean extended) {
        long[] inflated = Arrays.stream(Inflation.resolution(resolution)).asLongStream().toArray();
        try {
            (extended ? StrideTable.extended() : StrideTable.released()).strides(inflated);
        } catch (UserError e) {
            throw new UserError(mapping.file() + ": grid " + Arrays.toString(resolution) + ": " + e.getMessage());
        }
    }

    /**
     * Source trajectory indices per split: shuffled with {@code seed}, cut by the fractions, each split's share
     * sorted so files keep the source order.
     */
    static Map<String, List<Integer>> split(int trajectories, SplitFractions fractions, long seed) {
        int[] counts;
        try {
            counts = fractions.counts(trajectories);
        } catch (UserError e) {
            throw new UserError("import: " + trajectories + " trajector" + (trajectories == 1 ? "y" : "ies")
                    + " in the source; at least 3 are needed, one per split (train, valid, test)");
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, trajectories).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        int from = 0;
        for (int s = 0; s < counts.length; s++) {
            out.put(SplitFractions.SPLITS.get(s), order.subList(from, from + counts[s]).stream().sorted().toList());
            from += counts[s];
        }
        return out;
    }

    private static WellSpec spec(ImportMapping mapping, ImportPlan plan, int trajectories) {
        WellSpec.Builder b = WellSpec.builder(mapping.dataset(), "cartesian").trajectories(trajectories);
        for (int a = 0; a < plan.coordinates().size(); a++) b.spatialDim(mapping.spatialNames().get(a), plan.coordinates().get(a));
        b.time(plan.times());
        for (int a = 0; a < mapping.boundaries().size(); a++) {
            TrajectoryFile.boundaryGroups(mapping.spatialNames().get(a), plan.resolution()[a], mapping.boundaries().get(a))
                    .forEach(b::boundary);
        }
        plan.fields().forEach(f -> b.field(f.field()));
        return b.build();
    }

    private static void write(Path file, WellSpec spec, ImportPlan plan, List<Integer> sources, Runnable frameDone) {
        try (WellWriter writer = WellWriter.create(file, spec)) {
            for (int n = 0; n < sources.size(); n++) {
                for (FieldSource f : plan.fields()) {
                    if (!f.mapping().constant() || (n > 0 && !f.field().sampleVarying())) continue;
                    writeFrame(writer, f, n, sources.get(n), 0);
                }
                for (int t = 0; t < plan.steps(); t++) {
                    for (FieldSource f : plan.fields()) {
                        if (!f.mapping().constant()) writeFrame(writer, f, n, sources.get(n), t);
                    }
                    frameDone.run();
                }
            }
            writer.commit();
        }
    }

    private static void writeFrame(WellWriter writer, FieldSource f, int trajectory, int source, int step) {
        FloatBuffer frame = FloatBuffer.allocate(writer.frameLength(f.field().name()));
        f.fill(f.field().sampleVarying() ? source : 0, step, frame);
        writer.write(f.field().name(), f.field().sampleVarying() ? trajectory : 0, step, frame.flip());
    }
}
