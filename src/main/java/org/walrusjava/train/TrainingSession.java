package org.walrusjava.train;

import org.walrusjava.model.Initializer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.walrusjava.AtomicFiles;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.walrusjava.UserError;
import org.walrusjava.data.FieldVocabulary;
import org.walrusjava.data.WellDataset;
import org.walrusjava.data.WellDatasetOptions;
import org.walrusjava.data.WellPaths;
import org.walrusjava.data.WindowSpec;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.CpuInfo;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * Builds a {@link Trainer} from a {@link RunSpec}: the config, the datasets (a common vocabulary extended by any
 * field the model has never seen), the model (fresh, from an init checkpoint with the vocabulary carried over, or
 * from the run's latest checkpoint when resuming) and the validation splits. This is what `walrus train` runs.
 */
public final class TrainingSession implements AutoCloseable {
    private final RunSpec spec;
    private final Path dir;
    private final WalrusModel model;
    private final Trainer trainer;
    private final List<WellDataset> opened = new ArrayList<>();

    private TrainingSession(RunSpec spec, Path dir, PrintStream progress, DataParallel ranks) {
        this.spec = spec;
        this.dir = dir;
        ExperimentConfig config = ExperimentConfig.load(spec.config(), spec.overrides());
        TrainingOptions o = spec.options();
        Device device = ranks.device(spec.device());
        if (o.precision() == TrainingOptions.Precision.BF16 && !device.isCuda() && !CpuInfo.hasFullRateBf16()
                && progress != null)
            progress.println("note: this CPU has no bf16 product instructions (AVX-512 BF16, AMX or Arm BF16), so bf16 "
                    + "autocast runs slower than fp32 here; `walrus bench` measures both GEMM rates");
        if (o.activationCheckpointing().selective() && (o.precision() == TrainingOptions.Precision.BF16 || device.isCuda())
                && progress != null)
            progress.println("note: selective activation checkpointing keeps fp32 CPU projections only; with bf16 "
                    + "autocast or on a GPU each segment is recomputed in full");

        List<Path> paths = dataPaths(config);
        FieldVocabulary base = FieldVocabulary.of(config.vocabulary());
        FieldVocabulary vocabulary = base.extendedWith(channelNames(paths, config, base, o));
        List<Trainer.Source> sources = new ArrayList<>();
        List<WellDataset> validationSets = new ArrayList<>();
        for (Path p : paths) {
            WellDataset train = open(p, "train", vocabulary, config, o, false);
            var options = datasetOptions(config, train);
            sources.add(new Trainer.Source(train, options.batchSize(o.batchSize()), options.samplingWeight()));
            if (o.validateEvery() > 0 && WellPaths.isDatasetRoot(p) && WellPaths.splits(p).contains("valid"))
                validationSets.add(open(p, "valid", vocabulary, config, o, true));
        }
        Validation validation = validationSets.isEmpty() ? null
                : new Validation(validationSets, o.validationTrajectories(), o.validationSteps(), device, o.seed());

        Optional<Path> latest = TrainingCheckpoint.resolve(dir.resolve("checkpoints"), TrainingCheckpoint.LATEST);
        model = new WalrusModel(config.model().withStates(vocabulary.size()));
        TrainingCheckpoint.Loaded checkpoint = latest.map(TrainingCheckpoint::read).orElse(null);
        Map<String, Tensor> weights = checkpoint != null ? checkpoint.model()
                : initialWeights(model, config.vocabulary(), vocabulary.names(), progress);
        model.load(weights, DType.FLOAT32, device, checkpoint != null ? checkpoint.folder().toString() : describeInit());
        model.materialize();
        // upstream's key, or trainer.distribution; either way the weights come out the same (see DataParallel.Mode)
        String mode = config.find("trainer.distribution").or(() -> config.find("distribution.distribution_type"))
                .map(Object::toString).orElse("ddp");
        ranks.mode(DataParallel.Mode.parse(mode));
        trainer = new Trainer(model, vocabulary.names(), sources, validation, o, device, dir, progress, ranks);
        if (checkpoint != null) trainer.restore(checkpoint);
    }

    /**
     * Starts a new run in {@code dir} (which must not hold one already). Nothing is written until the run is fully
     * set up; then the config is copied to DIR/config.yaml and the spec, pointing at that copy, to DIR/run.json.
     */
    public static TrainingSession start(RunSpec spec, Path dir, PrintStream progress) {
        return start(spec, dir, progress, DataParallel.single());
    }

    /** One rank of a new data-parallel run: rank 0 checks and sets up the folder, the others only train. */
    public static TrainingSession start(RunSpec spec, Path dir, PrintStream progress, DataParallel ranks) {
        if (!ranks.leader()) return new TrainingSession(spec, dir, progress, ranks);
        if (Files.exists(dir.resolve(RunSpec.FILE)))
            throw new UserError(dir + ": already holds a training run; continue it with --resume " + dir
                    + " or choose another --out");
        TrainingSession session = new TrainingSession(spec, dir, progress, ranks);
        boolean ready = false;
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("config.yaml");
            AtomicFiles.write(config, out -> Files.copy(spec.config(), out));
            spec.withConfig(config.toAbsolutePath()).write(dir);
            ready = true;
            return session;
        } catch (IOException e) {
            throw new UserError(dir + ": cannot set up the run folder (" + e.getMessage() + ")", e);
        } finally {
            if (!ready) session.close();
        }
    }

    /** Continues the run in {@code dir} from its latest checkpoint. */
    public static TrainingSession resume(Path dir, PrintStream progress) {
        return resume(dir, progress, DataParallel.single());
    }

    /** One rank resuming a run, on any number of ranks (the checkpoint holds no per-rank state but generators). */
    public static TrainingSession resume(Path dir, PrintStream progress, DataParallel ranks) {
        RunSpec spec = RunSpec.read(dir);
        Path checkpoints = dir.resolve("checkpoints");
        if (TrainingCheckpoint.resolve(checkpoints, TrainingCheckpoint.LATEST).isEmpty())
            throw new UserError(dir + ": no checkpoint to resume from yet (checkpoints/latest is missing)");
        if (ranks.leader()) TrainingCheckpoint.removePartials(checkpoints);
        return new TrainingSession(spec, dir, progress, ranks);
    }

    public Trainer trainer() {
        return trainer;
    }

    public RunSpec spec() {
        return spec;
    }

    public Path dir() {
        return dir;
    }

    private List<Path> dataPaths(ExperimentConfig config) {
        if (!spec.data().isEmpty()) return spec.data();
        if (config.data().datasets().isEmpty())
            throw new UserError(spec.config() + ": no datasets (data.module_parameters.well_dataset_info is empty); "
                    + "give --data PATH");
        List<Path> out = new ArrayList<>();
        for (var d : config.data().datasets().values()) {
            String location = d.path().orElseGet(() -> config.data().wellBasePath()
                    .map(base -> base + "/" + d.name())
                    .orElseThrow(() -> new UserError(spec.config() + ": dataset " + d.name()
                            + " has no path and data.well_base_path is not set")));
            out.add(Path.of(location));
        }
        return out;
    }

    /** Channel names of every dataset, for one vocabulary shared by all of them. */
    private List<String> channelNames(List<Path> paths, ExperimentConfig config, FieldVocabulary base, TrainingOptions o) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Path p : paths) {
            try (WellDataset d = builder(p, "train", base, config, o, false).extendVocabulary(true).build()) {
                names.addAll(d.info().variableChannels());
                names.addAll(d.info().constantChannels());
            }
        }
        return List.copyOf(names);
    }

    private WellDataset open(Path p, String split, FieldVocabulary vocabulary, ExperimentConfig config,
            TrainingOptions o, boolean validation) {
        WellDataset d = builder(p, split, vocabulary, config, o, validation).build();
        opened.add(d);
        return d;
    }

    private WellDataset.Builder builder(Path p, String split, FieldVocabulary vocabulary, ExperimentConfig config,
            TrainingOptions o, boolean validation) {
        // The dataset's own options (field transforms, 3-D downsampling) are keyed by its name in the config.
        String name;
        try (WellDataset probe = WellDataset.builder(p).split(split).vocabulary(vocabulary).extendVocabulary(true).build()) {
            name = probe.info().datasetName();
        }
        WellDatasetOptions options = WellDatasetOptions.fromConfig(config.raw(), name);
        int nIn = options.inputSteps(o.nInput());
        WindowSpec windows = validation ? WindowSpec.fullTrajectory(nIn, o.minStride(), o.validationSteps())
                : WindowSpec.training(nIn, 1, o.minStride(), o.maxStride());
        return WellDataset.builder(p).split(split).vocabulary(vocabulary).options(options).windows(windows)
                .augment(!validation && o.augment());
    }

    private static WellDatasetOptions datasetOptions(ExperimentConfig config, WellDataset d) {
        return WellDatasetOptions.fromConfig(config.raw(), d.info().datasetName());
    }

    /** Fresh weights, or the init checkpoint's with the vocabulary carried over to the run's (spec §3). */
    private Map<String, Tensor> initialWeights(WalrusModel model, List<String> configVocabulary, List<String> vocabulary,
            PrintStream progress) {
        if (spec.init() == null) return Initializer.fresh(model, spec.options().seed());
        Map<String, Tensor> trained = Checkpoints.load(spec.init());
        if (vocabulary.size() == configVocabulary.size()) return trained;
        if (progress != null)
            progress.printf("vocabulary extended from %d to %d fields: %s (%s alignment)%n", configVocabulary.size(),
                    vocabulary.size(), vocabulary.subList(configVocabulary.size(), vocabulary.size()),
                    spec.upstreamFieldAlignment() ? "upstream" : "exact");
        return VocabularyExtension.extend(trained, configVocabulary, vocabulary, Initializer.fresh(model, spec.options().seed()),
                spec.upstreamFieldAlignment() ? VocabularyExtension.Alignment.UPSTREAM : VocabularyExtension.Alignment.EXACT);
    }

    private String describeInit() {
        return spec.init() == null ? "fresh initialisation" : spec.init().toString();
    }

    /** Closes the datasets and frees the model and the optimizer state. */
    @Override
    public void close() {
        opened.forEach(WellDataset::close);
        trainer.close();
        model.close();
    }
}
