package org.walrusjava.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.walrusjava.UserError;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.io.SchedulerOptions;

/**
 * How a run trains: the released recipe by default (spec §5), every part replaceable. Lengths are in optimizer
 * steps; one optimizer step accumulates {@code gradAccSteps} micro-batches of {@code batchSize} windows.
 *
 * @param steps optimizer steps to reach
 * @param batchSize windows per micro-batch (per dataset it is scaled by the dataset's batch_downsample_factor)
 * @param clipGradient maximum joint gradient norm, 0 for none
 * @param schedule learning-rate schedule and how its counter advances
 * @param nInput history frames per window (scaled per dataset by step_downsample_factor)
 * @param minStride smallest time stride between frames, and maxStride the largest (drawn per window)
 * @param augment rotate every training batch by a random proper cube rotation (tensor-law aware)
 * @param activationCheckpointing which activations are recomputed instead of kept
 * @param precision FP32, or BF16 autocast of the forward pass (weights, optimizer and loss stay fp32)
 * @param saveEvery optimizer steps between periodic checkpoints (a checkpoint is also written at the end)
 * @param validateEvery optimizer steps between validation rollouts, 0 for none
 * @param validationTrajectories trajectories per dataset in a validation, validationSteps rollout steps each
 * @param freeze model parts not trained ({@link ModelParts}), lrMultipliers per part
 * @param samplingGroup consecutive micro-batches that train on one dataset drawn for all of them (1: each draws its
 *     own); with as many as there are ranks, all ranks train on the same dataset at once, so none waits for a
 *     costlier one (upstream's sampling groups). 0, from a run folder older than this option, reads as 1.
 */
public record TrainingOptions(
        long steps,
        int batchSize,
        int gradAccSteps,
        double clipGradient,
        int minimumContext,
        AdamW.Settings optimizer,
        Schedule schedule,
        int nInput,
        int minStride,
        int maxStride,
        boolean augment,
        ActivationCheckpointing activationCheckpointing,
        Precision precision,
        long seed,
        int saveEvery,
        int keepCheckpoints,
        int validateEvery,
        int validationTrajectories,
        int validationSteps,
        String freeze,
        Map<String, Double> lrMultipliers,
        int samplingGroup) {

    public enum Precision { FP32, BF16 }

    /**
     * The learning-rate curve and its counter: per optimizer step, or per "epoch" of {@code stepsPerEpoch}
     * optimizer steps (the released recipe: 2000 micro-batches / 4 accumulation steps = 500).
     *
     * @param inverseSqrt the released InverseSqrtLinearWarmupSqrtCooldown; false for a constant rate
     */
    public record Schedule(boolean inverseSqrt, boolean perStep, long stepsPerEpoch, long maxEpochs, long warmup,
            long cooldown, double warmupFactor) {
        public static Schedule constant() {
            return new Schedule(false, true, 1, 1, 0, 0, 1);
        }

        /** The quick-run schedule: per step over N steps, warmup = cooldown = max(1, N / 20). */
        public static Schedule perStep(long n) {
            long edge = Math.max(1, n / 20);
            return new Schedule(true, true, 1, n, edge, edge, 0.1);
        }

        public LearningRateSchedule curve(double base) {
            return inverseSqrt ? LearningRateSchedule.inverseSqrtWithWarmupAndCooldown(base, maxEpochs, warmup, cooldown,
                    warmupFactor) : LearningRateSchedule.constant(base);
        }

        /** The scheduler counter after {@code optimizerSteps} steps. */
        public long counter(long optimizerSteps) {
            return perStep ? optimizerSteps : optimizerSteps / stepsPerEpoch;
        }
    }

    public TrainingOptions {
        if (steps < 0 || batchSize < 1 || gradAccSteps < 1 || minimumContext < 0 || nInput < 1)
            throw new UserError("training options out of range: steps " + steps + ", batch size " + batchSize
                    + ", grad_acc_steps " + gradAccSteps + ", minimum_context " + minimumContext + ", n_steps_input " + nInput);
        if (minimumContext >= nInput)
            throw new UserError("minimum_context " + minimumContext + " leaves no position of a " + nInput + "-frame window in the loss");
        if (minStride < 1 || maxStride < minStride)
            throw new UserError("time stride range [" + minStride + ", " + maxStride + "] is empty");
        lrMultipliers = Map.copyOf(lrMultipliers);
        freeze = freeze == null ? "" : freeze;
    }

    /**
     * The released recipe as a config describes it: data.module_parameters (batch size, input steps, strides,
     * max_samples), trainer (accumulation, clipping, minimum context, AMP, max_epoch, per-step schedule),
     * optimizer, lr_scheduler, model.gradient_checkpointing_freq. Keys this project adds, all optional (write them
     * as +trainer.key=value overrides): trainer.steps, trainer.augment, trainer.seed, trainer.save_every,
     * trainer.keep_checkpoints, trainer.validate_every, trainer.validation_trajectories, trainer.validation_steps,
     * trainer.freeze, trainer.lr_multipliers (a part -> factor mapping), trainer.activation_recompute (full or
     * selective, with model.gradient_checkpointing_freq).
     */
    public static TrainingOptions fromConfig(ExperimentConfig c) {
        var t = c.trainer();
        var d = c.data();
        if (!c.optimizer().kind().equals("AdamW"))
            throw new UserError(c.source() + ": optimizer " + c.optimizer().target() + " is not supported (AdamW)");
        if (!t.predictionType().equals("delta"))
            throw new UserError(c.source() + ": trainer.prediction_type " + t.predictionType() + " is not supported (delta)");
        Precision precision = Precision.FP32;
        if (t.enableAmp()) {
            if (!t.ampType().equals("bfloat16"))
                throw new UserError(c.source() + ": trainer.amp_type " + t.ampType() + " needs a gradient scaler, which "
                        + "is not implemented; use bfloat16");
            precision = Precision.BF16;
        }
        long stepsPerEpoch = Math.max(1, d.maxSamples().orElse(2000) / t.gradAccSteps());
        Schedule schedule = c.lrScheduler().map(s -> schedule(c, s, t.lrSchedulerPerStep(), stepsPerEpoch))
                .orElse(Schedule.constant());
        long epochs = t.maxEpochs().orElse(200);
        long steps = number(c, "trainer.steps").map(Number::longValue).orElse(epochs * stepsPerEpoch);
        return new TrainingOptions(steps, d.batchSize(), t.gradAccSteps(), t.clipGradient(), t.minimumContext(),
                new AdamW.Settings(c.optimizer().lr(), c.optimizer().beta1(), c.optimizer().beta2(), c.optimizer().eps(),
                        c.optimizer().weightDecay()),
                schedule, d.nStepsInput(), d.minDtStride(), d.maxDtStride(),
                c.findBoolean("trainer.augment").orElse(true),
                checkpointing(c), precision,
                number(c, "trainer.seed").map(Number::longValue).orElse(0L),
                number(c, "trainer.save_every").map(Number::intValue).orElse((int) stepsPerEpoch),
                number(c, "trainer.keep_checkpoints").map(Number::intValue).orElse(2),
                number(c, "trainer.validate_every").map(Number::intValue).orElse((int) stepsPerEpoch),
                number(c, "trainer.validation_trajectories").map(Number::intValue).orElse(2),
                number(c, "trainer.validation_steps").map(Number::intValue).orElse(20),
                c.find("trainer.freeze").map(Object::toString).orElse(""),
                multipliers(c),
                number(c, "trainer.sampling_group").map(Number::intValue).orElse(1));
    }

    private static ActivationCheckpointing checkpointing(ExperimentConfig c) {
        String recompute = c.find("trainer.activation_recompute").map(Object::toString).orElse("full");
        try {
            return ActivationCheckpointing.of(c.model().gradientCheckpointingFreq(), recompute);
        } catch (UserError e) {
            throw new UserError(c.source() + ": trainer." + e.getMessage());
        }
    }

    private static Schedule schedule(ExperimentConfig c, SchedulerOptions s, boolean perStep, long stepsPerEpoch) {
        if (!s.kind().equals("InverseSqrtLinearWarmupSqrtCooldown"))
            throw new UserError(c.source() + ": lr_scheduler " + s.target() + " is not supported "
                    + "(InverseSqrtLinearWarmupSqrtCooldown, or no lr_scheduler section for a constant rate)");
        if (s.offset() != 128 || s.exponent() != 0.5)
            throw new UserError(c.source() + ": lr_scheduler offset/exponent other than 128 / 0.5 are not supported");
        long max = s.maxEpochs().orElseThrow(() -> new UserError(c.source() + ": lr_scheduler needs max_epochs "
                + "(or trainer.max_epoch)"));
        return new Schedule(true, perStep, stepsPerEpoch, max, s.warmupEpochs(), s.cooldownEpochs(), s.warmupLrFactor());
    }

    private static Optional<Number> number(ExperimentConfig c, String key) {
        return c.find(key).map(v -> {
            if (v instanceof Number n) return n;
            throw new UserError(c.source() + ": " + key + " = " + v + " is not a number");
        });
    }

    private static Map<String, Double> multipliers(ExperimentConfig c) {
        Map<String, Double> out = new LinkedHashMap<>();
        c.find("trainer.lr_multipliers").ifPresent(v -> {
            if (!(v instanceof Map<?, ?> m))
                throw new UserError(c.source() + ": trainer.lr_multipliers must map model parts to factors");
            m.forEach((k, f) -> {
                if (!(f instanceof Number n))
                    throw new UserError(c.source() + ": trainer.lr_multipliers." + k + " = " + f + " is not a number");
                out.put(String.valueOf(k), n.doubleValue());
            });
        });
        return out;
    }

    /** A mutable copy for adjusting a few options (the CLI's quick form). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Field-by-field changes to a {@link TrainingOptions}. */
    public static final class Builder {
        public long steps;
        public int batchSize, gradAccSteps, minimumContext, nInput, minStride, maxStride;
        public ActivationCheckpointing activationCheckpointing;
        public int saveEvery, keepCheckpoints, validateEvery, validationTrajectories, validationSteps, samplingGroup;
        public double clipGradient;
        public AdamW.Settings optimizer;
        public Schedule schedule;
        public boolean augment;
        public Precision precision;
        public long seed;
        public String freeze;
        public Map<String, Double> lrMultipliers;

        private Builder(TrainingOptions o) {
            steps = o.steps;
            batchSize = o.batchSize;
            gradAccSteps = o.gradAccSteps;
            clipGradient = o.clipGradient;
            minimumContext = o.minimumContext;
            optimizer = o.optimizer;
            schedule = o.schedule;
            nInput = o.nInput;
            minStride = o.minStride;
            maxStride = o.maxStride;
            augment = o.augment;
            activationCheckpointing = o.activationCheckpointing;
            precision = o.precision;
            seed = o.seed;
            saveEvery = o.saveEvery;
            keepCheckpoints = o.keepCheckpoints;
            validateEvery = o.validateEvery;
            validationTrajectories = o.validationTrajectories;
            validationSteps = o.validationSteps;
            freeze = o.freeze;
            lrMultipliers = new LinkedHashMap<>(o.lrMultipliers);
            samplingGroup = o.samplingGroup;
        }

        public TrainingOptions build() {
            return new TrainingOptions(steps, batchSize, gradAccSteps, clipGradient, minimumContext, optimizer, schedule,
                    nInput, minStride, maxStride, augment, activationCheckpointing, precision, seed, saveEvery,
                    keepCheckpoints, validateEvery, validationTrajectories, validationSteps, freeze, lrMultipliers,
                    samplingGroup);
        }
    }
}
