package org.walrusjava.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.dist.Rendezvous;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.tensor.Device;
import org.walrusjava.train.ActivationCheckpointing;
import org.walrusjava.train.RunSpec;
import org.walrusjava.train.Trainer;
import org.walrusjava.train.TrainingOptions;
import org.walrusjava.train.TrainingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `walrus train`: train or fine-tune with the released recipe (or a changed one), resumably. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train or fine-tune Walrus with the released recipe, from a config in the layout of the "
                + "released extended_config.yaml (model, data, trainer, optimizer, lr_scheduler).",
                "Writes DIR/log.jsonl (one line per optimizer step and validation), resumable checkpoints in "
                        + "DIR/checkpoints and, at the end, DIR/final.safetensors.",
                "  walrus train --config CFG [key=value ...] --out DIR",
                "  walrus train --config CFG [--init CKPT] --data PATH[,PATH...] --steps N [--batch-size B] "
                        + "[--lr LR] [--seed S] --out DIR",
                "  walrus train --resume DIR [--steps N]",
                "Under `walrus launch`, torchrun or srun (RANK/WORLD_SIZE or SLURM_PROCID/SLURM_NTASKS set) each process "
                        + "is one data-parallel rank; rank 0 prints, logs and writes checkpoints."})
public final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY=VALUE", description = "config overrides by dotted path, e.g. trainer.grad_acc_steps=2 "
            + "(+key=value adds a key)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--config", paramLabel = "CFG", description = "experiment config YAML")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "run folder (created; must not hold a run already)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the run in DIR from its latest checkpoint")
    Path resume;

    @Option(names = "--init", paramLabel = "CKPT", description = "start from these weights (.pt or .safetensors); "
            + "fields the data has and the checkpoint lacks extend the vocabulary")
    Path init;

    @Option(names = "--upstream-field-alignment", description = "scale copied encoder columns by sqrt(old/new) as "
            + "upstream does (old fields then predict slightly differently) instead of the exact rule")
    boolean upstreamAlignment;

    @Option(names = "--data", split = ",", paramLabel = "PATH", description = "train on these datasets (Well files, "
            + "split folders or dataset roots) instead of the config's list; roots with data/valid are validated on")
    List<Path> data = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps; with a new run the schedule then "
            + "runs per step over N steps with warmup = cooldown = max(1, N/20)")
    Long steps;

    @Option(names = "--stop-at", paramLabel = "S", description = "stop after step S (resume later with --resume)")
    Long stopAt;

    @Option(names = "--batch-size", paramLabel = "B", description = "windows per micro-batch")
    Integer batchSize;

    @Option(names = "--grad-acc", paramLabel = "K", description = "micro-batches per optimizer step")
    Integer gradAcc;

    @Option(names = "--lr", paramLabel = "LR", description = "base learning rate")
    Double lr;

    @Option(names = "--warmup", paramLabel = "W", description = "warmup steps of the per-step schedule")
    Long warmup;

    @Option(names = "--cooldown", paramLabel = "K", description = "cooldown steps of the per-step schedule")
    Long cooldown;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random choice of the run")
    Long seed;

    @Option(names = "--freeze", paramLabel = "PARTS", description = "parts not trained: encoder, decoder, blocks, "
            + "blocks.A-B or key prefixes, comma-separated")
    String freeze;

    @Option(names = "--lr-multiplier", paramLabel = "PART=F", description = "learning-rate factor for a part "
            + "(repeatable), e.g. encoder=0.1")
    Map<String, Double> lrMultipliers = new LinkedHashMap<>();

    @Option(names = "--activation-checkpointing", paramLabel = "K[:selective]", description = "recompute activations "
            + "in segments of K blocks (0: keep all); K:selective keeps the projections' outputs and recomputes only the "
            + "rest (fp32 on the CPU): less time, more memory")
    String activationCheckpointing;

    @Option(names = "--dtype", paramLabel = "fp32|bf16", description = "bf16: bfloat16 autocast for the forward pass "
            + "(weights, gradients and AdamW state stay fp32; pays on CPUs with bf16 instructions and on GPUs). Default: "
            + "the config's trainer.enable_amp")
    String dtype;

    @Option(names = "--no-augment", description = "no random cube rotations")
    boolean noAugment;

    @Option(names = "--save-every", paramLabel = "N", description = "optimizer steps between checkpoints")
    Integer saveEvery;

    @Option(names = "--validate-every", paramLabel = "N", description = "optimizer steps between validations (0: none)")
    Integer validateEvery;

    @Mixin
    DeviceOption device;

    @Option(names = "--export", paramLabel = "FILE", description = "also write the final weights here (.pt in the "
            + "upstream layout, or .safetensors)")
    Path export;

    @Override
    public Integer call() {
        if (resume != null) checkResumeOptions();
        Rendezvous rendezvous = Rendezvous.fromEnvironment(System.getenv());
        Device where = rendezvous.device(resume != null ? RunSpec.read(resume).device() : device.text(),
                System.getenv("CUDA_VISIBLE_DEVICES"));
        try (DataParallel ranks = DataParallel.join(rendezvous, System.getenv(), where)) {
            return train(ranks);
        }
    }

    private static String sharing(DataParallel.Mode mode, boolean checkpointing) {
        String state = switch (mode) {
            case REPLICATED -> null;
            case SHARDED -> ", gradients and optimizer state sharded (ZeRO-2)";
            case HYBRID -> ", gradients and optimizer state sharded within each node, replicated across nodes (hsdp)";
        };
        if (state == null) return "";
        return state + (checkpointing ? ", blocks' weights parked on their owners between uses"
                : "; weights whole (without activation checkpointing a step needs every block's at once)");
    }

    private Integer train(DataParallel ranks) {
        // the other ranks train silently; their errors still reach stderr
        PrintStream err = ranks.leader() ? System.err : null;
        PrintStream stdout = ranks.leader() ? System.out : new PrintStream(java.io.OutputStream.nullOutputStream());
        try (TrainingSession session = resume != null ? resumed(err, ranks) : started(err, ranks)) {
            Trainer trainer = session.trainer();
            long target = steps != null ? steps : session.spec().options().steps();
            long until = stopAt != null ? Math.min(stopAt, target) : target;
            if (trainer.step() >= until) {
                if (err != null) err.printf("train: already at step %d of %d%n", trainer.step(), until);
                return 0;
            }
            if (err != null)
                err.printf("train: %s from step %d to %d, %s%s%n", session.dir(), trainer.step(), until,
                        describe(session.spec().options()),
                        ranks.worldSize() > 1 ? ", data parallel over " + ranks.worldSize() + " ranks"
                                + sharing(ranks.mode(), session.spec().options().activationCheckpointing().on()) : "");
            Trainer.Result r = trainer.train(until);
            stdout.printf("step %d: loss %.4f%s; checkpoint %s%n", r.step(), r.lastLoss(),
                    r.lastValidation() == null ? "" : String.format(", validation VRMSE %.4f (persistence %.4f)",
                            r.lastValidation().score(), r.lastValidation().persistenceScore()), r.checkpoint());
            if (r.step() == target) {
                stdout.println("final weights: " + trainer.writeFinalWeights());
                if (export != null && ranks.leader()) stdout.println("exported: " + trainer.export(export));
            } else {
                stdout.println("stopped at step " + r.step() + " of " + target + "; continue with: walrus train --resume "
                        + session.dir() + " --steps " + target);
            }
            return 0;
        }
    }

    private void checkResumeOptions() {
        if (config != null || out != null || init != null || !data.isEmpty() || !overrides.isEmpty() || changesOptions())
            throw new UserError("--resume continues a run exactly as it was started: only --steps, --stop-at and --export "
                    + "may be given with it");
    }

    private TrainingSession resumed(PrintStream err, DataParallel ranks) {
        TrainingSession session = TrainingSession.resume(resume, err, ranks);
        TrainingOptions.Schedule s = session.spec().options().schedule();
        if (err != null && steps != null && s.perStep() && s.inverseSqrt() && steps > s.maxEpochs())
            err.printf("train: note: the learning-rate schedule of this run ends at step %d; later steps run at lr 0%n",
                    s.maxEpochs());
        return session;
    }

    private TrainingSession started(PrintStream err, DataParallel ranks) {
        if (config == null) throw new UserError("give --config CFG (or --resume DIR)");
        if (out == null) throw new UserError("give --out DIR for the run's log, checkpoints and weights");
        TrainingOptions.Builder b = TrainingOptions.fromConfig(ExperimentConfig.load(config, overrides)).toBuilder();
        if (steps != null) {
            b.steps = steps;
            TrainingOptions.Schedule quick = TrainingOptions.Schedule.perStep(steps);
            b.schedule = new TrainingOptions.Schedule(true, true, 1, steps, warmup != null ? warmup : quick.warmup(),
                    cooldown != null ? cooldown : quick.cooldown(), quick.warmupFactor());
            b.saveEvery = saveEvery != null ? saveEvery : (int) Math.max(1, Math.min(steps, 1000));
            b.validateEvery = validateEvery != null ? validateEvery : (int) Math.max(1, steps / 10);
        } else if (warmup != null || cooldown != null) {
            throw new UserError("--warmup and --cooldown shape the per-step schedule of --steps N; without --steps "
                    + "change lr_scheduler.warmup_epochs / cooldown_epochs instead");
        }
        if (batchSize != null) b.batchSize = batchSize;
        if (gradAcc != null) b.gradAccSteps = gradAcc;
        if (lr != null) b.optimizer = b.optimizer.withLr(lr);
        if (seed != null) b.seed = seed;
        if (freeze != null) b.freeze = freeze;
        b.lrMultipliers.putAll(lrMultipliers);
        if (activationCheckpointing != null) b.activationCheckpointing = ActivationCheckpointing.parse(activationCheckpointing);
        if (dtype != null) b.precision = switch (dtype) {
            case "fp32" -> TrainingOptions.Precision.FP32;
            case "bf16" -> TrainingOptions.Precision.BF16;
            default -> throw new UserError("--dtype must be fp32 or bf16, got " + dtype);
        };
        if (noAugment) b.augment = false;
        if (saveEvery != null) b.saveEvery = saveEvery;
        if (validateEvery != null) b.validateEvery = validateEvery;
        RunSpec spec = new RunSpec(config.toAbsolutePath(), overrides, data.stream().map(Path::toAbsolutePath).toList(),
                init == null ? null : init.toAbsolutePath(), upstreamAlignment, device.text(), b.build());
        return TrainingSession.start(spec, out, err, ranks);
    }

    private boolean changesOptions() {
        return batchSize != null || gradAcc != null || lr != null || warmup != null || cooldown != null || seed != null
                || freeze != null || !lrMultipliers.isEmpty() || activationCheckpointing != null || dtype != null || noAugment
                || saveEvery != null || validateEvery != null || upstreamAlignment;
    }

    private static String describe(TrainingOptions o) {
        return String.format("batch %d x %d accumulated, lr %.3g (%s), seed %d%s%s%s", o.batchSize(), o.gradAccSteps(),
                o.optimizer().lr(), o.schedule().inverseSqrt() ? (o.schedule().perStep() ? "per step" : "per epoch")
                        : "constant", o.seed(),
                o.activationCheckpointing().on() ? ", activation checkpointing " + o.activationCheckpointing().describe() : "",
                o.precision() == TrainingOptions.Precision.BF16 ? ", bf16 autocast" : "",
                o.freeze().isEmpty() ? "" : ", frozen: " + o.freeze());
    }
}
