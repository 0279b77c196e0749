package org.walrusjava.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.walrusjava.UserError;
import org.walrusjava.data.WellDataset;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * The training loop of the released recipe (spec §5). One optimizer step: {@code gradAccSteps} micro-batches, each
 * from a dataset drawn uniformly (or by the datasets' sampling weights) and then windows from that dataset's
 * shuffled order (random time stride and cube rotation per batch, random jitter rolls, drop-path); loss /
 * gradAccSteps backpropagated per micro-batch; joint gradient norm clipped; AdamW with the scheduled learning rate
 * and per-part multipliers.
 *
 * <p>Every random choice of micro-batch m is drawn from a generator seeded by (seed, m); the sampler's position and
 * libtorch's generator (drop-path) go into checkpoints. A run stopped and resumed from a checkpoint therefore ends
 * with the same weights, bit for bit, as one that never stopped (given the same thread count and device).
 *
 * <p>Output folder: log.jsonl (one line per optimizer step and per validation), checkpoints/ (resumable snapshots,
 * "latest" and "best" pointers) and, at the end, final.safetensors.
 */
public final class Trainer implements AutoCloseable {
    /** A dataset to train on, its micro-batch size and its relative share of the micro-batches. */
    public record Source(WellDataset dataset, int batchSize, double samplingWeight) {}

    /** Where a call to {@link #train} ended. */
    public record Result(long step, double lastLoss, Validation.Result lastValidation, Path checkpoint) {}

    /** The loss (or the gradient) stopped being finite; the last good checkpoint is named in the message. */
    public static final class DivergedException extends UserError {
        DivergedException(String message) {
            super(message);
        }
    }

    private final WalrusModel model;
    private final List<String> vocabulary;
    private final List<Source> sources;
    private final int[] batchSizes;
    private final Validation validation;
    private final TrainingOptions options;
    private final Device device;
    private final Path outDir;
    private final Path checkpoints;
    private final PrintStream progress;
    private final List<TrainableParameter> parameters;
    private final AdamW optimizer;
    private final LearningRateSchedule curve;
    private final DatasetSampler sampler;
    private long step;
    private double bestValidation = Double.NaN;
    private long bestStep = -1;
    private Path lastCheckpoint;
    private long savedStep = -1;

    /**
     * @param model weights on {@code device}, writable (not views of a mapped file)
     * @param vocabulary the model's field vocabulary (saved with checkpoints)
     * @param validation rollouts to run every options.validateEvery() steps, or null
     * @param progress where progress lines go (null for none)
     */
    public Trainer(WalrusModel model, List<String> vocabulary, List<Source> sources, Validation validation,
            TrainingOptions options, Device device, Path outDir, PrintStream progress) {
        if (sources.isEmpty()) throw new UserError("no training data");
        if (vocabulary.size() != model.config().nStates())
            throw new IllegalArgumentException(vocabulary.size() + " vocabulary names for " + model.config().nStates() + " states");
        this.model = model;
        this.vocabulary = List.copyOf(vocabulary);
        this.sources = List.copyOf(sources);
        this.batchSizes = sources.stream().mapToInt(Source::batchSize).toArray();
        this.validation = validation;
        this.options = options;
        this.device = device;
        this.outDir = outDir;
        this.checkpoints = outDir.resolve("checkpoints");
        this.progress = progress;
        model.train(true);
        parameters = ModelParts.select(model, options.freeze(), options.lrMultipliers());
        optimizer = new AdamW(parameters, options.optimizer());
        curve = options.schedule().curve(options.optimizer().lr());
        sampler = new DatasetSampler(sources.stream().mapToLong(s -> s.dataset().size()).toArray(),
                sources.stream().mapToDouble(Source::samplingWeight).toArray(), options.seed());
        Tensor.manualSeed(options.seed());
    }

    public long step() {
        return step;
    }

    public WalrusModel model() {
        return model;
    }

    /** The learning rate the next optimizer step will use. */
    public double learningRate() {
        return curve.at(options.schedule().counter(step));
    }

    /** Continues from a checkpoint of this run: weights, optimizer moments, counters, sampler, generator. */
    public void restore(TrainingCheckpoint.Loaded c) {
        if (!c.state().vocabulary().equals(vocabulary))
            throw new UserError(c.folder() + ": checkpoint vocabulary differs from this run's");
        Map<String, Module.Slot> slots = model.slots();
        try (Autograd off = Autograd.off()) {
            for (var e : slots.entrySet()) {
                Tensor saved = c.model().get(e.getKey());
                if (saved == null) throw new UserError(c.folder() + ": checkpoint has no " + e.getKey());
                e.getValue().get().copy_(saved);
            }
        }
        optimizer.load(c.optimizer(), c.folder().toString());
        Tensor generator = c.optimizer().get(generatorKey());
        if (generator == null) throw new UserError(c.folder() + ": checkpoint lacks the random generator state");
        Tensor.setGeneratorState(device, generator.copy());
        sampler.restore(c.state().sampler());
        step = c.state().step();
        bestValidation = c.state().bestValidation();
        bestStep = c.state().bestStep();
        lastCheckpoint = c.folder();
        savedStep = step;
    }

    /** Trains until {@code untilStep} optimizer steps are done, checkpointing and validating on the way. */
    public Result train(long untilStep) {
        ProgressReporter reporter = new ProgressReporter(progress, 5, step);
        double loss = Double.NaN;
        long samples = 0;
        Validation.Result lastValidation = null;
        try (TrainingLog log = TrainingLog.open(outDir.resolve("log.jsonl"), step)) {
            while (step < untilStep) {
                long started = System.nanoTime();
                double lr = learningRate();
                StepOutcome s = optimizerStep(lr);
                loss = s.loss;
                samples += s.samples;
                step++;
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("step", step);
                entry.put("loss", s.loss);
                entry.put("lr", lr);
                entry.put("grad_norm", s.gradNorm);
                entry.put("datasets", s.datasets);
                entry.put("seconds", (System.nanoTime() - started) / 1e9);
                log.write(entry);
                reporter.step(step, untilStep, loss, lr, samples, step == untilStep);
                boolean validate = validation != null && options.validateEvery() > 0
                        && (step % options.validateEvery() == 0 || step == untilStep);
                if (validate) lastValidation = validate(log);
                boolean save = step % Math.max(1, options.saveEvery()) == 0 || step == untilStep;
                if (save && savedStep != step) saveCheckpoint();
            }
        }
        return new Result(step, loss, lastValidation, lastCheckpoint);
    }

    /** Writes a resumable checkpoint of the current state and points "latest" at it. */
    public Path saveCheckpoint() {
        Map<String, Tensor> opt = new LinkedHashMap<>(optimizer.state());
        opt.put(generatorKey(), Tensor.generatorState(device));
        TrainingCheckpoint.State state = new TrainingCheckpoint.State(step, sampler.state(), bestValidation, bestStep,
                vocabulary);
        lastCheckpoint = TrainingCheckpoint.write(checkpoints, model.stateDict(), opt, state);
        TrainingCheckpoint.point(checkpoints, TrainingCheckpoint.LATEST, lastCheckpoint);
        TrainingCheckpoint.prune(checkpoints, options.keepCheckpoints());
        savedStep = step;
        return lastCheckpoint;
    }

    /** Writes the current weights, by state-dict key, to DIR/final.safetensors. */
    public Path writeFinalWeights() {
        return export(outDir.resolve("final.safetensors"));
    }

    /**
     * Writes the current weights in the format the name asks for: .safetensors, or .pt in the upstream layout
     * ({"app": {"model": state_dict}}) that PyTorch users load with torch.load.
     */
    public Path export(Path file) {
        Checkpoints.save(file, model.stateDict());
        return file;
    }

    private record StepOutcome(double loss, double gradNorm, List<String> datasets, long samples) {}

    private StepOutcome optimizerStep(double lr) {
        int acc = options.gradAccSteps();
        double lossSum = 0;
        long samples = 0;
        List<String> names = new ArrayList<>();
        for (int k = 0; k < acc; k++) {
            long micro = step * acc + k;
            Random rng = new Random(Seeds.mix(options.seed(), micro));
            DatasetSampler.Draw draw = sampler.next(rng, batchSizes);
            WellDataset dataset = sources.get(draw.dataset()).dataset();
            org.walrusjava.data.Batch data = dataset.batch(draw.indices(), rng);
            names.add(data.datasetName());
            samples += data.batchSize();
            double loss;
            try (NativeScope scope = NativeScope.open()) {
                Batch batch = BatchTensors.of(data, device);
                Loss.Result r = Backpropagation.run(model, batch, Rolls.seeded(rng.nextLong()), options.minimumContext(),
                        1.0 / acc, options.activationCheckpointing(),
                        options.precision() == TrainingOptions.Precision.BF16 ? DType.BFLOAT16 : null);
                loss = r.lossX100().itemDouble();
            }
            if (!Double.isFinite(loss)) diverged("loss is " + loss + " on " + data.datasetName() + " (micro-batch " + k + ")");
            lossSum += loss;
        }
        double norm = GradientClipping.clip(parameters, options.clipGradient());
        if (!Double.isFinite(norm)) diverged("gradient norm is " + norm);
        optimizer.step(lr);
        optimizer.zeroGrad();
        return new StepOutcome(lossSum / acc, norm, names, samples);
    }

    private void diverged(String what) {
        optimizer.zeroGrad();
        String keep = lastCheckpoint == null ? "no checkpoint was written yet"
                : "the last good checkpoint is " + lastCheckpoint + " (after step " + savedStep + ")";
        throw new DivergedException("training diverged at step " + (step + 1) + ": " + what + "; " + keep
                + "; lower the learning rate or check the data, then resume");
    }

    private Validation.Result validate(TrainingLog log) {
        Validation.Result v = validation.run(model);
        double score = v.score();
        Map<String, Object> byDataset = new LinkedHashMap<>();
        for (Validation.DatasetScore d : v.datasets())
            byDataset.put(d.dataset(), Map.of("vrmse", d.vrmse(), "persistence_vrmse", d.persistence(), "steps", d.steps()));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("step", step);
        entry.put("validation", byDataset);
        entry.put("score", score);
        entry.put("persistence_score", v.persistenceScore());
        log.write(entry);
        if (progress != null)
            progress.printf("validation at step %d: VRMSE %.4f (persistence %.4f)%n", step, score, v.persistenceScore());
        if (Double.isFinite(score) && (Double.isNaN(bestValidation) || score < bestValidation)) {
            bestValidation = score;
            bestStep = step;
            TrainingCheckpoint.point(checkpoints, TrainingCheckpoint.BEST, saveCheckpoint());
        }
        return v;
    }

    /** Frees the optimizer's moments; the model stays its creator's to close. */
    @Override
    public void close() {
        optimizer.close();
    }

    private String generatorKey() {
        return "rng.torch." + device;
    }
}
