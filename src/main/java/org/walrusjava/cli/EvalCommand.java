package org.walrusjava.cli;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.walrusjava.api.Evaluation;
import org.walrusjava.api.Walrus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate on a split of Well data as The Well's benchmark does: one-step metrics over every"
                + " window (stride 1) or a seeded sample, and rollouts from the start of each trajectory, per field and"
                + " averaged, next to the persistence baseline. Prints the VRMSE tables; writes one_step.json/.csv,"
                + " metrics.json/.csv of the rollouts, pictures, index.html and summary.txt to --out.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckpointOptions model;

    @Mixin
    JitterOptions jitter;

    @Mixin
    WellSourceOptions source;

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "a Well .hdf5 file, split folder or dataset root.")
    Path data;

    @Option(names = "--windows", paramLabel = "K",
            description = "evaluate a seeded sample of K one-step windows (default: all).")
    Integer windows;

    @Option(names = "--rollout-steps", paramLabel = "N",
            description = "longest rollout (default: each trajectory to its end; 0: none).")
    Integer rolloutSteps;

    @Option(names = "--trajectories", paramLabel = "K",
            description = "roll out the first K trajectories (default: all).")
    Integer trajectories;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder.")
    Path out;

    @Override
    public Integer call() {
        Evaluation.Request request = new Evaluation.Request(data, source.split, source.historyFrames(),
                optional(windows), optional(rolloutSteps), optional(trajectories), jitter.jitter(), source.dataset());
        Evaluation.Result result;
        try (Walrus walrus = model.load()) {
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr(), "eval", "forward passes");
            result = Evaluation.run(walrus, request, out, progress::update);
            progress.finish();
        }
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static OptionalInt optional(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
