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
import org.walrusjava.dist.DataParallel;
import org.walrusjava.dist.OverlappedGradientSum;
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
 * <p>Data parallel ({@link DataParallel}): {@code gradAccSteps} counts the micro-batches of one optimizer step over
 * all ranks, and rank r trains on micro-batches r, r + N, r + 2N... of them. Every rank draws every micro-batch's
 * dataset and windows (cheap: indices only), so all samplers stay in step and each window is used once per cycle
 * over all ranks, but loads and back-propagates only its own. The loss is scaled by 1 / gradAccSteps on every rank
 * and the gradients are summed over the ranks (bucketed, before clipping; onto every rank, or onto each parameter's
 * owner when the state is sharded: {@link DistributedAdamW}), so N ranks compute the gradient of one process with the
 * same gradAccSteps up to the order of the float sums, and a run may resume on a different number of ranks. The sums
 * start during the backward pass of each rank's last micro-batch ({@link OverlappedGradientSum}; under fsdp with
 * activation checkpointing, segment by segment: {@link BlockWeightShards}). Drop-path draws from a generator seeded per
 * rank (rank 0 as a single process), so with drop-path the equality is statistical, not bitwise. Rank 0 alone
 * writes the log and the checkpoints; every rank validates (all hold the same weights) so that none waits.
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
    private final DistributedAdamW optimizer;
    private final LearningRateSchedule curve;
    private final DatasetSampler sampler;
    private final DataParallel ranks;
    /** fsdp with activation checkpointing: the blocks' weights this rank does not own, parked between uses; else null. */
    private final BlockWeightShards weightShards;
    private long weightBytesInStep;
    /** The gradient sum that starts during the last micro-batch's backward pass (ddp, fsdp without checkpointing). */
    private final OverlappedGradientSum overlappedSum;
    private int[] overlappedBuckets;
    private long gradientBytesAfterBackward;
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
        this(model, vocabulary, sources, validation, options, device, outDir, progress, DataParallel.single());
    }

    /**
     * One rank of a data-parallel run: the weights are first replaced by rank 0's.
     *
     * @param progress where progress lines go (null for none; give it on rank 0 only)
     */
    public Trainer(WalrusModel model, List<String> vocabulary, List<Source> sources, Validation validation,
            TrainingOptions options, Device device, Path outDir, PrintStream progress, DataParallel ranks) {
        if (sources.isEmpty()) throw new UserError("no training data");
        if (options.gradAccSteps() % ranks.worldSize() != 0)
            throw new UserError("trainer.grad_acc_steps is " + options.gradAccSteps() + ", the micro-batches of one "
                    + "optimizer step over all ranks; it must be a multiple of the " + ranks.worldSize() + " ranks");
        if (options.samplingGroup() < 0 || options.gradAccSteps() % samplingGroup(options) != 0)
            throw new UserError("trainer.sampling_group is " + options.samplingGroup() + "; it must divide "
                    + "trainer.grad_acc_steps (" + options.gradAccSteps() + ") so that no group spans two optimizer steps");
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
        this.ranks = ranks;
        model.train(true);
        Map<String, Module.Slot> slots = model.slots();
        ranks.broadcastFromLeader(slots.values().stream().map(Module.Slot::get).toList());
        optimizer = new DistributedAdamW(ModelParts.select(model, options.freeze(), options.lrMultipliers()),
                options.optimizer(), ranks);
        weightShards = options.activationCheckpointing().on() ? optimizer.weightShards(model.blockCount()) : null;
        // fsdp with checkpointing sends each segment's gradients to their owners itself
        overlappedSum = weightShards == null ? optimizer.overlappedSum() : null;
        curve = options.schedule().curve(options.optimizer().lr());
        sampler = new DatasetSampler(sources.stream().mapToLong(s -> s.dataset().size()).toArray(),
                sources.stream().mapToDouble(Source::samplingWeight).toArray(), options.seed());
        Tensor.manualSeed(rankSeed(options.seed()));
    }

    private static int samplingGroup(TrainingOptions o) {
        return Math.max(1, o.samplingGroup());
    }

    /** The drop-path generator's seed: the run's on rank 0 (as in a single process), one of its own on other ranks. */
    private long rankSeed(long seed) {
        return ranks.rank() == 0 ? seed : Seeds.mix(seed, ranks.rank());
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
        Tensor generator = c.optimizer().get(generatorKey(ranks.rank()));
        if (generator != null) Tensor.setGeneratorState(device, generator.copy());
        else if (ranks.rank() == 0) throw new UserError(c.folder() + ": checkpoint lacks the random generator state");
        // a rank the saving run did not have starts a generator of its own, as reproducible as the others
        else Tensor.manualSeed(Seeds.mix(rankSeed(options.seed()), c.state().step()));
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
        try (TrainingLog log = ranks.leader() ? TrainingLog.open(outDir.resolve("log.jsonl"), step) : null) {
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
                if (overlappedSum != null)
                    entry.put("gradient_buckets_during_backward", overlappedBuckets[0] + " of " + overlappedBuckets[1]);
                if (weightShards != null) {
                    entry.put("weight_bytes_in_step", weightBytesInStep);
                    entry.put("gradient_bytes_after_backward", gradientBytesAfterBackward);
                }
                if (log != null) log.write(entry);
                reporter.step(step, untilStep, loss, lr, samples, step == untilStep);
                boolean validate = validation != null && options.validateEvery() > 0
                        && (step % options.validateEvery() == 0 || step == untilStep);
                if (validate) lastValidation = validate(log);
                boolean save = step % Math.max(1, options.saveEvery()) == 0 || step == untilStep;
                if (save && savedStep != step) saveCheckpoint();
            }
        }
        if (ranks.worldSize() > 1) {
            long crc = ranks.checkIdentical(model.slots().values().stream().map(Module.Slot::get).toList(),
                    "at step " + step);
            if (progress != null)
                progress.printf("weights bit-identical on all %d ranks at step %d (crc32 %08x)%n", ranks.worldSize(), step, crc);
        }
        return new Result(step, loss, lastValidation, lastCheckpoint);
    }

    /**
     * Writes a resumable checkpoint of the current state and points "latest" at it. Every rank calls it (their
     * generator states are gathered) and rank 0 writes it.
     */
    public Path saveCheckpoint() {
        try (NativeScope scope = NativeScope.open()) {
            List<Tensor> generators = ranks.gather(Tensor.generatorState(device));
            Map<String, Tensor> opt = optimizer.state();
            if (ranks.leader()) {
                for (int r = 0; r < generators.size(); r++) opt.put(generatorKey(r), generators.get(r));
                TrainingCheckpoint.State state = new TrainingCheckpoint.State(step, sampler.state(), bestValidation,
                        bestStep, vocabulary);
                lastCheckpoint = TrainingCheckpoint.write(checkpoints, model.stateDict(), opt, state);
                TrainingCheckpoint.point(checkpoints, TrainingCheckpoint.LATEST, lastCheckpoint);
                TrainingCheckpoint.prune(checkpoints, options.keepCheckpoints());
            } else {
                lastCheckpoint = checkpoints.resolve(TrainingCheckpoint.name(step));
            }
        }
        savedStep = step;
        return lastCheckpoint;
    }

    /** Writes the current weights, by state-dict key, to DIR/final.safetensors. */
    public Path writeFinalWeights() {
        if (!ranks.leader()) return outDir.resolve("final.safetensors");
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
        int group = samplingGroup(options);
        int groupDataset = 0;
        double lossSum = 0;
        long samples = 0;
        String badLoss = null;
        List<String> names = new ArrayList<>();
        if (weightShards != null) {
            weightShards.startStep();
            weightBytesInStep = weightBytes();
        }
        for (int k = 0; k < acc; k++) {
            long micro = step * acc + k;
            Random rng = new Random(Seeds.mix(options.seed(), micro));
            DatasetSampler.Draw draw = k % group == 0 ? sampler.next(rng, batchSizes) : sampler.next(groupDataset, batchSizes);
            groupDataset = draw.dataset();
            WellDataset dataset = sources.get(draw.dataset()).dataset();
            names.add(dataset.info().datasetName());
            if (k % ranks.worldSize() != ranks.rank()) continue;
            if (k + ranks.worldSize() >= acc) {
                if (weightShards != null) weightShards.lastMicroBatch();
                if (overlappedSum != null) overlappedSum.arm();
            }
            org.walrusjava.data.Batch data = dataset.batch(draw.indices(), rng);
            samples += data.batchSize();
            double loss;
            try (NativeScope scope = NativeScope.open()) {
                Batch batch = BatchTensors.of(data, device);
                Loss.Result r = Backpropagation.run(model, batch, Rolls.seeded(rng.nextLong()), options.minimumContext(),
                        1.0 / acc, options.activationCheckpointing(),
                        options.precision() == TrainingOptions.Precision.BF16 ? DType.BFLOAT16 : null, new StepPhases(),
                        weightShards != null ? weightShards : Backpropagation.BlockWeights.PRESENT);
                loss = r.lossX100().itemDouble();
            }
            // reported after the ranks have compared losses, so that all of them stop at the same step
            if (!Double.isFinite(loss) && badLoss == null)
                badLoss = "loss is " + loss + " on " + data.datasetName() + " (micro-batch " + k + ")";
            lossSum += loss;
        }
        if (weightShards != null) gradientBytesAfterBackward = optimizer.gradientBytes();
        if (overlappedSum != null) overlappedBuckets = overlappedSum.finish();
        double[] total = ranks.sum(new double[] {lossSum, samples});
        if (!Double.isFinite(total[0])) diverged(badLoss != null ? badLoss : "loss is " + total[0] + " on another rank");
        double norm = weightShards != null
                ? optimizer.sumAndClip(options.clipGradient(), weightShards.summedDuringBackward())
                : overlappedSum != null ? optimizer.sumAndClip(options.clipGradient(), optimizer.allSummed())
                : optimizer.sumAndClip(options.clipGradient());
        // after the gradients have gone to their owners, so that a rank never holds all weights and all gradients
        if (weightShards != null) weightShards.allocateAll();
        if (!Double.isFinite(norm)) diverged("gradient norm is " + norm);
        optimizer.step(lr);
        return new StepOutcome(total[0] / acc, norm, names, (long) total[1]);
    }

    private void diverged(String what) {
        optimizer.clearGradients();
        if (weightShards != null) {
            weightShards.allocateAll();
            optimizer.shareWeights();
        }
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
        if (log != null) log.write(entry);
        if (progress != null)
            progress.printf("validation at step %d: VRMSE %.4f (persistence %.4f)%n", step, score, v.persistenceScore());
        if (Double.isFinite(score) && (Double.isNaN(bestValidation) || score < bestValidation)) {
            bestValidation = score;
            bestStep = step;
            Path best = saveCheckpoint();
            if (ranks.leader()) TrainingCheckpoint.point(checkpoints, TrainingCheckpoint.BEST, best);
        }
        return v;
    }

    /** What this rank held at the last optimizer step: trainable weights, gradients and optimizer moments. */
    public DistributedAdamW.Memory memory() {
        return optimizer.memory();
    }

    /**
     * Bytes of model weights this rank held while running the last step's micro-batches, between blocks: all of them,
     * except under fsdp with activation checkpointing, where the blocks' weights of other owners are parked.
     */
    public long weightBytesInStep() {
        return weightShards == null ? weightBytes() : weightBytesInStep;
    }

    private long weightBytes() {
        long bytes = 0;
        for (Module.Slot slot : model.slots().values()) bytes += slot.get().bytes();
        return bytes;
    }

    /** Frees the optimizer's moments; the model stays its creator's to close. */
    @Override
    public void close() {
        if (overlappedSum != null) overlappedSum.close();
        optimizer.close();
    }

    /** Rank 0's key is a single process's, so that checkpoints of any number of ranks load anywhere. */
    private String generatorKey(int rank) {
        return "rng.torch." + device + (rank == 0 ? "" : ".rank" + rank);
    }
}
