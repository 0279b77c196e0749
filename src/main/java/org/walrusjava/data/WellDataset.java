package org.walrusjava.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.walrusjava.UserError;

/**
 * Windows of Well data as Walrus consumes them (spec §4): n_in input and n_out output frames at a stride, the
 * constant fields, the boundary table, vocabulary indices of every channel, 2-D data inflated to 3-D, optional
 * `stats.yaml` normalisation and cube-rotation augmentation.
 *
 * <p>Windows are numbered file by file, trajectory by trajectory, start step by start step, as in the_well:
 * index = (windows of earlier files) + trajectory * windowsPerTrajectory + tStart. Per window the pipeline is:
 * read the hyperslabs, normalise (optional), apply the dataset's field transforms, reject NaN/Inf, inflate;
 * per batch: one rotation for all windows (training only).
 */
public final class WellDataset implements AutoCloseable {
    private final DatasetInfo info;
    private final ChannelLayout storedVariable;
    private final ChannelLayout storedConstant;
    private final Map<String, FieldTransform> transforms;
    private final int[] variableSource;
    private final int[] constantSource;
    private final double[][] variableNorm;
    private final double[][] constantNorm;
    private final boolean augment;
    private final long[] firstWindow;
    private final OpenFiles openFiles;

    private WellDataset(Builder b) {
        List<Path> files = WellPaths.resolve(b.path, b.split);
        openFiles = new OpenFiles(files, b.maxOpenFiles);
        int[] trajectories = new int[files.size()];
        int[] steps = new int[files.size()];
        WellFile first = openFiles.with(0, Function.identity());
        for (int i = 0; i < files.size(); i++) {
            int index = i;
            openFiles.with(i, w -> {
                requireConsistent(first, w);
                trajectories[index] = w.nTrajectories();
                steps[index] = w.nSteps();
                return null;
            });
        }
        transforms = b.options.fieldTransforms();
        storedVariable = ChannelLayout.of(first.variableFields(), first.nSpatialDims());
        storedConstant = ChannelLayout.of(first.constantFields(), first.nSpatialDims());
        boolean inflate = b.inflate && first.gridType().equals("cartesian") && first.nSpatialDims() < Inflation.DIMS;
        ChannelLayout variable = storedVariable.transformed(transforms);
        ChannelLayout constant = storedConstant.transformed(transforms);
        int[] shape = first.spatialResolution();
        int[][] bcs = first.boundaryConditions();
        if (inflate) {
            variableSource = Inflation.sourceChannels(variable);
            constantSource = Inflation.sourceChannels(constant);
            variable = Inflation.layout(variable);
            constant = Inflation.layout(constant);
            shape = Inflation.resolution(shape);
            bcs = Inflation.boundaryConditions(bcs);
        } else {
            variableSource = null;
            constantSource = null;
        }

        List<String> allChannels = new ArrayList<>(variable.names());
        allChannels.addAll(constant.names());
        FieldVocabulary vocabulary = b.extendVocabulary ? b.vocabulary.extendedWith(allChannels) : b.vocabulary;
        int[] fieldIndices = vocabulary.indicesOf(allChannels, first.datasetName());

        if (b.normalization != Normalization.NONE) {
            List<String> transformed = first.fields().stream().map(FieldInfo::name).filter(transforms::containsKey)
                    .toList();
            if (!transformed.isEmpty()) {
                throw new UserError(b.statsSource + ": normalisation statistics describe raw fields; they cannot be"
                        + " combined with the field transforms on " + transformed);
            }
            variableNorm = b.normalization.coefficients(storedVariable, b.stats, b.minStd, b.statsSource);
            constantNorm = b.normalization.coefficients(storedConstant, b.stats, b.minStd, b.statsSource);
        } else {
            variableNorm = null;
            constantNorm = null;
        }

        WindowSpec spec = b.windows;
        int shortest = Arrays.stream(steps).min().orElseThrow();
        int outputs = spec.fullTrajectory() ? spec.fullTrajectoryOutputs(shortest) : spec.nOutput();
        if (spec.fullTrajectory() && outputs < 1) {
            throw new UserError(b.path + ": trajectories of " + shortest + " steps leave no output steps after "
                    + spec.nInput() + " input steps at stride " + spec.minStride());
        }
        long[] perFile = new long[files.size()];
        firstWindow = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) {
            int perTrajectory = spec.windowsPerTrajectory(steps[i]);
            if (perTrajectory < 1) {
                throw new UserError(files.get(i) + ": " + steps[i] + " steps are too few for windows of "
                        + spec.nInput() + " input + " + spec.nOutput() + " output steps at stride " + spec.minStride());
            }
            perFile[i] = (long) perTrajectory * trajectories[i];
            firstWindow[i + 1] = firstWindow[i] + perFile[i];
        }
        augment = b.augment && shape.length == 3;
        info = new DatasetInfo(first.datasetName(), first.gridType(), List.copyOf(files), trajectories, steps,
                first.spatialDims(), first.spatialResolution(), shape, inflate, variable, constant, fieldIndices,
                inflate ? Inflation.paddedFieldMask(variable, shape) : allTrue(variable.size()), bcs, vocabulary, spec,
                outputs, perFile);
    }

    public static Builder builder(Path path) {
        return new Builder(path);
    }

    public DatasetInfo info() {
        return info;
    }

    /** Number of windows. */
    public long size() {
        return firstWindow[firstWindow.length - 1];
    }

    /** One window as a batch of one, its stride (if drawn) and rotation (if augmenting) from {@code rng}. */
    public Batch sample(long index, Random rng) {
        return batch(new long[] {index}, rng);
    }

    public Batch batch(int[] indices, Random rng) {
        return batch(Arrays.stream(indices).asLongStream().toArray(), rng);
    }

    /** The windows {@code indices} as one batch; strides and the batch's rotation are drawn from {@code rng}. */
    public Batch batch(long[] indices, Random rng) {
        int nIn = info.windows().nInput();
        int nOut = info.outputSteps();
        int points = 1;
        for (int s : info.spatialShape()) points *= s;
        int cVar = info.variableLayout().size();
        int cCon = info.constantLayout().size();
        int inSize = nIn * points * cVar;
        int outSize = nOut * points * cVar;
        int conSize = points * cCon;
        float[] input = new float[indices.length * inSize];
        float[] output = new float[indices.length * outSize];
        float[] constants = new float[indices.length * conSize];
        List<Batch.Window> windows = new ArrayList<>();
        for (int b = 0; b < indices.length; b++) {
            Batch.Window w = locate(indices[b], rng);
            windows.add(w);
            float[][] read = readWindow(w, nIn + nOut);
            System.arraycopy(read[0], 0, input, b * inSize, inSize);
            System.arraycopy(read[0], inSize, output, b * outSize, outSize);
            System.arraycopy(read[1], 0, constants, b * conSize, conSize);
        }
        CubeRotations.Rotation rotation = augment ? CubeRotations.random(rng) : CubeRotations.identity();
        int[] shape = info.spatialShape();
        int[][] bcs = info.boundaryConditions();
        if (!rotation.isIdentity()) {
            input = rotation.applyToFrames(input, shape, info.variableLayout());
            output = rotation.applyToFrames(output, shape, info.variableLayout());
            constants = rotation.applyToFrames(constants, shape, info.constantLayout());
            bcs = rotation.applyToBoundaryConditions(bcs);
            shape = rotation.applyToShape(shape);
        }
        boolean[] mask = info.inflated() ? Inflation.paddedFieldMask(info.variableLayout(), shape)
                : info.paddedFieldMask().clone();
        return new Batch(info.datasetName(), indices.length, nIn, nOut, shape, info.variableChannels(),
                info.constantChannels(), input, output, constants, info.fieldIndices().clone(), mask, bcs,
                List.copyOf(windows), rotation);
    }

    /**
     * Batches of {@code batchSize} windows over the whole dataset, read ahead on a background thread
     * ({@code prefetch} batches at most), shuffled by {@code seed} if asked; a short last batch is dropped if asked.
     */
    public BatchStream stream(int batchSize, boolean shuffle, boolean dropLast, long seed, int prefetch) {
        if (size() > Integer.MAX_VALUE) throw new UserError(info.datasetName() + ": too many windows for one epoch");
        int n = (int) size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            Random rng = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            if (end - start < batchSize && dropLast) break;
            batches.add(Arrays.copyOfRange(order, start, end));
        }
        return new BatchStream(this, batches, seed, prefetch);
    }

    /** File, trajectory and start of window {@code index}; the stride is drawn now. */
    private Batch.Window locate(long index, Random rng) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("window " + index + " of " + size());
        }
        int file = 0;
        while (firstWindow[file + 1] <= index) file++;
        WindowSpec spec = info.windows();
        int steps = info.stepsPerTrajectory()[file];
        int perTrajectory = spec.windowsPerTrajectory(steps);
        long local = index - firstWindow[file];
        int trajectory = (int) (local / perTrajectory);
        int tStart = (int) (local % perTrajectory);
        int stride = spec.drawStride(tStart, steps, info.outputSteps(), rng);
        float[] all = openFiles.with(file, w -> w.time(trajectory));
        float[] times = new float[spec.nInput() + info.outputSteps()];
        for (int i = 0; i < times.length; i++) times[i] = all[tStart + i * stride];
        return new Batch.Window(info.files().get(file), trajectory, tStart, stride, times);
    }

    /** {variable frames (frames, grid, C_var), constants (grid, C_con)} of one window, ready to serve. */
    private float[][] readWindow(Batch.Window w, int frames) {
        int file = info.files().indexOf(w.file());
        return openFiles.with(file, f -> {
            float[] variable = f.readVariableWindow(w.trajectory(), w.tStart(), frames, w.stride());
            float[] constant = f.readConstants(w.trajectory());
            return new float[][] {
                prepare(variable, storedVariable, variableNorm, variableSource, f, w, "field"),
                prepare(constant, storedConstant, constantNorm, constantSource, f, w, "constant field")
            };
        });
    }

    private float[] prepare(float[] data, ChannelLayout stored, double[][] norm, int[] inflation, WellFile file,
                            Batch.Window w, String kind) {
        if (stored.size() == 0) return data;
        if (norm != null) Normalization.apply(data, norm);
        for (TensorChannels g : stored.fields()) {
            FieldTransform t = transforms.get(g.field());
            if (t != null) t.apply(data, stored.size(), g.firstChannel(), g.count());
        }
        rejectNonFinite(data, stored, file, w, kind);
        return inflation == null ? data : Inflation.gather(data, stored.size(), inflation);
    }

    /** NaN/Inf would silently poison training: name file, field, trajectory and step instead. */
    private void rejectNonFinite(float[] data, ChannelLayout stored, WellFile file, Batch.Window w, String kind) {
        for (int i = 0; i < data.length; i++) {
            if (Float.isFinite(data[i])) continue;
            int channel = i % stored.size();
            TensorChannels g = stored.fieldOf(channel);
            FieldTransform t = transforms.get(g.field());
            String where = kind.equals("field")
                    ? ", step " + (w.tStart() + i / (file.gridSize() * stored.size()) * w.stride()) : "";
            throw new UserError(file.path() + ": " + kind + " '" + g.field() + "'"
                    + (t == null ? "" : " (after " + t.name().toLowerCase() + ")") + " has "
                    + (Float.isNaN(data[i]) ? "NaN" : "Inf") + " in channel " + stored.names().get(channel)
                    + " of trajectory " + w.trajectory() + where);
        }
    }

    private static void requireConsistent(WellFile first, WellFile other) {
        String problem = null;
        if (!first.datasetName().equals(other.datasetName())) {
            problem = "dataset_name '" + other.datasetName() + "' differs from '" + first.datasetName() + "'";
        } else if (!Arrays.equals(first.spatialResolution(), other.spatialResolution())) {
            problem = "resolution " + Arrays.toString(other.spatialResolution()) + " differs from "
                    + Arrays.toString(first.spatialResolution());
        } else if (!first.variableChannels().equals(other.variableChannels())
                || !first.constantChannels().equals(other.constantChannels())) {
            problem = "fields " + other.variableChannels() + " / " + other.constantChannels() + " differ from "
                    + first.variableChannels() + " / " + first.constantChannels();
        } else if (!Arrays.deepEquals(first.boundaryConditions(), other.boundaryConditions())) {
            problem = "boundary conditions " + Arrays.deepToString(other.boundaryConditions()) + " differ from "
                    + Arrays.deepToString(first.boundaryConditions());
        }
        if (problem != null) throw new UserError(other.path() + ": " + problem + " in " + first.path().getFileName());
    }

    private static boolean[] allTrue(int n) {
        boolean[] out = new boolean[n];
        Arrays.fill(out, true);
        return out;
    }

    @Override
    public void close() {
        openFiles.close();
    }

    /** Builder; defaults: split "train", windows 1+1 at stride 1, inflation on, released vocabulary, no augmentation. */
    public static final class Builder {
        private final Path path;
        private String split = "train";
        private WindowSpec windows = WindowSpec.evaluation(1, 1, 1);
        private boolean inflate = true;
        private FieldVocabulary vocabulary = FieldVocabulary.released();
        private boolean extendVocabulary;
        private WellDatasetOptions options = WellDatasetOptions.defaults();
        private Normalization normalization = Normalization.NONE;
        private FieldStatistics stats;
        private String statsSource;
        private double minStd = 1e-4;
        private boolean augment;
        private int maxOpenFiles = 16;

        private Builder(Path path) {
            this.path = path;
        }

        /** The split read when the path is a dataset root. */
        public Builder split(String split) {
            this.split = split;
            return this;
        }

        public Builder windows(WindowSpec windows) {
            this.windows = windows;
            return this;
        }

        /** Embed 1-D / 2-D Cartesian data in 3-D (on by default, as Walrus needs). */
        public Builder inflate(boolean inflate) {
            this.inflate = inflate;
            return this;
        }

        public Builder vocabulary(FieldVocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /** Append channel names the vocabulary lacks instead of failing (fine-tuning on new fields). */
        public Builder extendVocabulary(boolean extend) {
            this.extendVocabulary = extend;
            return this;
        }

        /** Field transforms and downsample factors of this dataset (see {@link WellDatasetOptions#fromConfig}). */
        public Builder options(WellDatasetOptions options) {
            this.options = options;
            return this;
        }

        /** Normalise with these statistics; {@code source} names them in errors. */
        public Builder normalization(Normalization type, FieldStatistics stats, String source) {
            this.normalization = type;
            this.stats = stats;
            this.statsSource = source;
            return this;
        }

        /**
         * Normalise with the dataset's own `stats.yaml` (the dataset root's, or one next to a file or split folder).
         */
        public Builder normalization(Normalization type) {
            if (type == Normalization.NONE) return normalization(type, null, null);
            List<Path> files = WellPaths.resolve(path, split);
            Path root = WellPaths.datasetRoot(files);
            Path yaml = (root != null ? root : files.getFirst().toAbsolutePath().getParent()).resolve("stats.yaml");
            if (!Files.isRegularFile(yaml)) throw new UserError(yaml + ": no statistics file for normalisation");
            return normalization(type, FieldStatistics.read(yaml), yaml.toString());
        }

        public Builder minStd(double minStd) {
            this.minStd = minStd;
            return this;
        }

        /** Rotate every batch by a random proper cube rotation (training). */
        public Builder augment(boolean augment) {
            this.augment = augment;
            return this;
        }

        /** At most this many files are kept open at once (large splits have thousands). */
        public Builder maxOpenFiles(int n) {
            this.maxOpenFiles = Math.max(1, n);
            return this;
        }

        public WellDataset build() {
            return new WellDataset(this);
        }
    }

    /** Opens files on demand and keeps the most recently used ones open; access is serialised. */
    private static final class OpenFiles {
        private final List<Path> files;
        private final LinkedHashMap<Integer, WellFile> open;

        OpenFiles(List<Path> files, int limit) {
            this.files = files;
            this.open = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, WellFile> eldest) {
                    if (size() <= limit) return false;
                    eldest.getValue().close();
                    return true;
                }
            };
        }

        synchronized <T> T with(int index, Function<WellFile, T> action) {
            WellFile f = open.get(index);
            if (f == null) {
                f = WellFile.open(files.get(index));
                open.put(index, f);
            }
            return action.apply(f);
        }

        synchronized void close() {
            open.values().forEach(WellFile::close);
            open.clear();
        }
    }
}
