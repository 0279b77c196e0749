package org.walrusjava.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.walrusjava.UserError;
import org.walrusjava.data.Batch;
import org.walrusjava.data.ChannelLayout;
import org.walrusjava.data.FieldTransform;
import org.walrusjava.data.FieldVocabulary;
import org.walrusjava.data.Inflation;
import org.walrusjava.data.WellDataset;
import org.walrusjava.data.WellDatasetOptions;
import org.walrusjava.data.WellFile;
import org.walrusjava.data.WellPaths;
import org.walrusjava.data.WindowSpec;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.rollout.PhysicalChannels;
import org.walrusjava.tensor.Tensor;

/**
 * Reads model windows from Well data the way the reference feeds the model at inference: frames start,
 * start + stride, ... of one trajectory, the dataset's field transforms from the config applied (values and names),
 * 2-D data inflated to 3-D, constant fields appended to every frame, vocabulary indices from the config, and the
 * true frames that follow the window.
 */
public final class WellWindows {
    /**
     * Which window to read.
     *
     * @param data a .hdf5 file, a split folder or a dataset root (then {@code split} picks data/SPLIT)
     * @param trajectory index over all files of the split, in file-name order
     * @param history frames in the window; absent: the config's n_steps_input for the dataset (6 in 2-D, 3 in 3-D)
     * @param datasetName the dataset whose options the config holds; absent: the file's `dataset_name`
     */
    public record Request(Path data, String split, int trajectory, int start, OptionalInt history, int stride,
                          Optional<String> datasetName) {
        public static Request of(Path data, int trajectory, int start) {
            return new Request(data, "train", trajectory, start, OptionalInt.empty(), 1, Optional.empty());
        }
    }

    /** How many true frames to read after the window: exactly n (an error if fewer follow), or at most n. */
    public record Truth(int frames, boolean exact) {
        public static Truth exactly(int n) {
            if (n < 1) throw new UserError("--steps must be at least 1, got " + n);
            return new Truth(n, true);
        }

        public static Truth atMost(int n) {
            return new Truth(n, false);
        }

        /** Every frame that follows the window. */
        public static Truth rest() {
            return new Truth(Integer.MAX_VALUE, false);
        }
    }

    /**
     * What every window of a dataset shares: the files of the split, the dataset's name and config options, the
     * model's vocabulary, the default history and how predicted channels map back to the stored ones.
     */
    public record Dataset(List<Path> files, String name, WellDatasetOptions options, FieldVocabulary vocabulary,
                          int defaultHistory, PhysicalChannels physical) {}

    private WellWindows() {}

    /** The window of the request with the true frames that follow it. */
    public static WellWindow read(ExperimentConfig config, Request r, Truth truth) {
        Dataset dataset = dataset(config, r.data(), r.split(), r.datasetName());
        if (r.trajectory() < 0) throw new UserError("--trajectory must be at least 0, got " + r.trajectory());
        int first = 0;
        for (Path path : dataset.files()) {
            try (WellFile file = WellFile.open(path)) {
                if (r.trajectory() < first + file.nTrajectories()) {
                    return read(dataset, file, r, r.trajectory() - first, truth);
                }
                first += file.nTrajectories();
            }
        }
        throw new UserError(r.data() + ": no trajectory " + r.trajectory() + "; the data has " + first
                + " (0.." + (first - 1) + ")");
    }

    /** Opens the first file of the data to learn what its windows share; unknown fields are an error here. */
    public static Dataset dataset(ExperimentConfig config, Path data, String split, Optional<String> datasetName) {
        List<Path> files = WellPaths.resolve(data, split);
        try (WellFile first = WellFile.open(files.getFirst())) {
            String name = datasetName.orElse(first.datasetName());
            WellDatasetOptions options = WellDatasetOptions.fromConfig(config.raw(), name);
            FieldVocabulary vocabulary = FieldVocabulary.of(config.vocabulary());
            requireKnownFields(first, options.fieldTransforms(), vocabulary, config.source());
            int configured = config.data().nStepsInput();
            int history = config.data().datasets().containsKey(name) ? options.inputSteps(configured)
                    : first.nSpatialDims() == 3 ? Math.max(1, configured / 2) : configured;
            return new Dataset(files, name, options, vocabulary, history, physicalChannels(first, options));
        }
    }

    /** The Well dataset over the data with these windows, reading as {@link #read} does. */
    public static WellDataset open(Dataset d, Path data, String split, WindowSpec windows) {
        return WellDataset.builder(data).split(split).windows(windows).vocabulary(d.vocabulary()).options(d.options())
                .build();
    }

    private static WellWindow read(Dataset d, WellFile file, Request r, int local, Truth truth) {
        int history = r.history().orElse(d.defaultHistory());
        if (history < 1) throw new UserError("--history must be at least 1, got " + history);
        if (r.stride() < 1) throw new UserError("--stride must be at least 1, got " + r.stride());
        if (r.start() < 0) throw new UserError("--start must be at least 0, got " + r.start());
        int steps = file.nSteps();
        int last = r.start() + (history - 1) * r.stride();
        String trajectory = file.path() + ": trajectory " + local + " has " + steps + " steps (0.." + (steps - 1) + ")";
        if (last >= steps) {
            throw new UserError(trajectory + ", but a window of " + history + " frames at stride " + r.stride()
                    + " from step " + r.start() + " would end at step " + last);
        }
        int available = (steps - 1 - last) / r.stride();
        if (truth.exact() && truth.frames() > available) {
            throw new UserError(trajectory + ": only " + available + " frames follow the window (steps " + r.start()
                    + ".." + last + " at stride " + r.stride() + "), so it cannot be rolled out " + truth.frames()
                    + " steps");
        }
        int frames = Math.min(truth.frames(), available);
        if (history + frames < 2) {
            throw new UserError(trajectory + ": a window of one frame at the trajectory's end cannot be read; use"
                    + " --history 2 or more");
        }
        try (WellDataset ds = open(d, file.path(), "", WindowSpec.evaluation(1, history + frames - 1, r.stride()))) {
            int perTrajectory = ds.info().windows().windowsPerTrajectory(steps);
            Batch batch = ds.sample((long) local * perTrajectory + r.start(), new Random(0));
            return fromBatch(batch, history, d, r.trajectory());
        }
    }

    /**
     * The model window of a batch of one whose input and output frames together are the window's {@code history}
     * frames followed by the true frames.
     */
    static WellWindow fromBatch(Batch b, int history, Dataset d, int trajectory) {
        if (b.batchSize() != 1) throw new IllegalArgumentException("one window at a time, got " + b.batchSize());
        int frames = b.inputSteps() + b.outputSteps();
        int cells = b.gridSize();
        int nVar = b.nVariable();
        int nCon = b.nConstant();
        float[] all = Arrays.copyOf(b.input(), frames * cells * nVar); // (frames, cells, C_var), channels last
        System.arraycopy(b.output(), 0, all, b.input().length, b.output().length);
        float[] constants = b.constants();

        float[] open = new float[cells];
        Arrays.fill(open, 1f);
        int mask = b.constantChannels().indexOf("mask");
        Tensor solid = null;
        if (mask >= 0) {
            float[] s = new float[cells];
            for (int p = 0; p < cells; p++) {
                s[p] = constants[p * nCon + mask] != 0 ? 1f : 0f;
                open[p] = 1f - s[p];
            }
            long[] grid = grid(b.spatialShape());
            solid = Tensor.of(s, 1, 1, 1, grid[0], grid[1], grid[2]);
        }

        int channels = nVar + nCon;
        float[] window = new float[history * cells * channels];
        for (int t = 0; t < history; t++) {
            for (int p = 0; p < cells; p++) {
                int at = (t * cells + p) * channels;
                System.arraycopy(all, (t * cells + p) * nVar, window, at, nVar);
                System.arraycopy(constants, p * nCon, window, at + nVar, nCon);
            }
        }
        long[] grid = grid(b.spatialShape());
        Tensor raw = Tensor.of(window, history, 1, grid[0], grid[1], grid[2], channels).permute(0, 1, 5, 2, 3, 4)
                .contiguous();
        float[][][] truth = new float[frames - history][][];
        for (int k = 0; k < truth.length; k++) truth[k] = frame(all, history + k, cells, nVar, open);
        float[][] lastInput = frame(all, history - 1, cells, nVar, open);

        List<String> allChannels = new ArrayList<>(b.variableChannels());
        allChannels.addAll(b.constantChannels());
        long[] indices = Arrays.stream(b.fieldIndices()).asLongStream().toArray();
        CaseSpec spec = new CaseSpec(b.variableChannels(), b.constantChannels(), indices, b.paddedFieldMask().clone(),
                Inflation.boundaryConditions(b.boundaryConditions()), history, 1, grid, Map.of(), List.of());
        Batch.Window w = b.windows().getFirst();
        int[] stepIndices = new int[frames];
        for (int i = 0; i < frames; i++) stepIndices[i] = w.tStart() + i * w.stride();
        WellWindow.Source source = new WellWindow.Source(w.file(), d.name(), trajectory, w.trajectory(), w.tStart(),
                w.stride(), history, w.times().clone(), stepIndices, d.physical());
        return new WellWindow(spec, raw, solid, truth, lastInput, source);
    }

    /** Frame t of a (frames, cells, C) channels-last array as [channel][cell], times the open-cell mask. */
    private static float[][] frame(float[] all, int t, int cells, int nVar, float[] open) {
        float[][] out = new float[nVar][cells];
        for (int p = 0; p < cells; p++) {
            int at = (t * cells + p) * nVar;
            for (int c = 0; c < nVar; c++) out[c][p] = all[at + c] * open[p];
        }
        return out;
    }

    /** The grid as the model's three axes; data that is not inflated gets trailing singleton axes. */
    private static long[] grid(int[] shape) {
        long[] out = {1, 1, 1};
        for (int a = 0; a < shape.length; a++) out[a] = shape[a];
        return out;
    }

    /** Whether the dataset layer embeds this file's data in 3-D (Cartesian data with fewer than 3 axes). */
    private static boolean inflates(WellFile file) {
        return file.gridType().equals("cartesian") && file.nSpatialDims() < Inflation.DIMS;
    }

    /** The channel names the model would see, in the dataset layer's order. */
    private static List<String> modelChannels(WellFile file, Map<String, FieldTransform> transforms) {
        List<String> out = new ArrayList<>();
        for (ChannelLayout stored : List.of(ChannelLayout.of(file.variableFields(), file.nSpatialDims()),
                ChannelLayout.of(file.constantFields(), file.nSpatialDims()))) {
            ChannelLayout transformed = stored.transformed(transforms);
            out.addAll((inflates(file) ? Inflation.layout(transformed) : transformed).names());
        }
        return out;
    }

    /** A model can only read fields its embedding has a column for: name the ones it lacks, and where to map them. */
    private static void requireKnownFields(WellFile file, Map<String, FieldTransform> transforms,
                                           FieldVocabulary vocabulary, Path config) {
        List<String> unknown = modelChannels(file, transforms).stream().filter(n -> !vocabulary.contains(n))
                .distinct().toList();
        if (unknown.isEmpty()) return;
        throw new UserError(file.path() + ": field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + " of dataset '" + file.datasetName() + "' " + (unknown.size() > 1 ? "are" : "is")
                + " not in the model's vocabulary of " + vocabulary.size() + " fields (data.field_index_map_override in "
                + config + "); the checkpoint has no embedding for " + (unknown.size() > 1 ? "them" : "it")
                + ": fine-tune on the data to add fields, or map a known name to this field in the config");
    }

    /** Stored variable channel s is the model channel that inflation copies it to, with its field's transform. */
    private static PhysicalChannels physicalChannels(WellFile file, WellDatasetOptions options) {
        ChannelLayout stored = ChannelLayout.of(file.variableFields(), file.nSpatialDims());
        int[] model = new int[stored.size()];
        FieldTransform[] transform = new FieldTransform[stored.size()];
        for (int s = 0; s < stored.size(); s++) {
            model[s] = s;
            transform[s] = options.fieldTransforms().get(stored.fieldOf(s).field());
        }
        if (inflates(file)) {
            int[] source = Inflation.sourceChannels(stored.transformed(options.fieldTransforms()));
            for (int m = 0; m < source.length; m++) if (source[m] >= 0) model[source[m]] = m;
        }
        return new PhysicalChannels(model, transform);
    }
}
