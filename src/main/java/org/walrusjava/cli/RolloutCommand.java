package org.walrusjava.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.api.Rollouts;
import org.walrusjava.api.Walrus;
import org.walrusjava.api.WellWindows;
import org.walrusjava.rollout.FieldLayout;
import org.walrusjava.rollout.Metric;
import org.walrusjava.rollout.MetricsResults;
import org.walrusjava.viz.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Roll a trajectory of Well data forward from frames T0, T0+S, ... (--data) and write"
                + " prediction.hdf5 (Well format, the source's units), metrics.json, metrics.csv, pictures and"
                + " index.html to --out; or roll a tensor window forward (--input, --case) into rollout.safetensors."
                + " A rollout whose prediction turns NaN/Inf or whose VRMSE passes --divergence-vrmse is stopped and"
                + " what came before is kept.")
final class RolloutCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckpointOptions model;

    @Mixin
    JitterOptions jitter;

    @Mixin
    WellSourceOptions source;

    @Option(names = "--data", paramLabel = "PATH", description = "a Well .hdf5 file, split folder or dataset root.")
    Path data;

    @Option(names = "--trajectory", paramLabel = "I", description = "trajectory index (over the split's files).")
    Integer trajectory;

    @Option(names = "--start", paramLabel = "T0", defaultValue = "0",
            description = "first step of the window (default 0).")
    int start;

    @Option(names = "--steps", paramLabel = "N",
            description = "steps to predict (default: the rest of the trajectory; required with --input).")
    Integer steps;

    @Option(names = "--stride", paramLabel = "S", defaultValue = "1", description = "steps between frames (default 1).")
    int stride;

    @Option(names = "--ensemble", paramLabel = "K", defaultValue = "1",
            description = "members with jitter seeds SEED, SEED+1, ...: mean, spread and spread-error correlation.")
    int ensemble;

    @Option(names = "--perturb", paramLabel = "EPS", defaultValue = "0",
            description = "add Gaussian noise of EPS x each channel's RMS to every member's starting window.")
    double perturb;

    @Option(names = "--divergence-vrmse", paramLabel = "V", defaultValue = "1e3",
            description = "stop when VRMSE (mean over fields) passes V (default ${DEFAULT-VALUE}).")
    double divergenceVrmse;

    @Option(names = "--input", paramLabel = "IN",
            description = "safetensors file holding raw_input (T, B, C, H, W, D).")
    Path input;

    @Option(names = "--case", paramLabel = "CASE", description = "case JSON (the schema of walrus trace) for --input.")
    Path caseFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder.")
    Path out;

    @Override
    public Integer call() {
        if ((input == null) == (data == null)) {
            throw new UserError("give either --data PATH with --trajectory, or --input IN.safetensors with --case"
                    + " CASE.json");
        }
        if (ensemble < 1) throw new UserError("--ensemble must be at least 1, got " + ensemble);
        if (!(perturb >= 0)) throw new UserError("--perturb must be 0 or more, got " + perturb);
        if (!(divergenceVrmse > 0)) throw new UserError("--divergence-vrmse must be positive, got " + divergenceVrmse);
        Rollouts.Settings settings = new Rollouts.Settings(steps == null ? OptionalInt.empty() : OptionalInt.of(steps),
                ensemble, jitter.jitter(), perturb, divergenceVrmse);
        PrintWriter err = spec.commandLine().getErr();
        Rollouts.Summary summary;
        ProgressLine progress;
        if (input != null) {
            CaseInput in = CaseInput.read(input, caseFile);
            try (Walrus walrus = model.load()) {
                progress = new ProgressLine(err, "rollout", "steps");
                summary = Rollouts.fromInput(walrus, in.raw(), in.spec(), settings, out, progress::update);
            }
        } else {
            if (trajectory == null) throw new UserError("--data needs --trajectory");
            try (Walrus walrus = model.load()) {
                progress = new ProgressLine(err, "rollout", "steps");
                WellWindows.Request request = new WellWindows.Request(data, source.split, trajectory, start,
                        source.historyFrames(), stride, source.dataset());
                summary = Rollouts.fromWell(walrus, request, settings, out, progress::update);
            }
        }
        progress.finish();
        summary.stop().ifPresent(s -> {
            err.println("walrus: rollout " + s.message() + "; kept " + summary.steps() + " of " + summary.plannedSteps()
                    + " steps");
            err.flush();
        });
        PrintWriter o = spec.commandLine().getOut();
        o.printf("rolled out %d of %d steps%s%n", summary.steps(), summary.plannedSteps(),
                ensemble > 1 ? " with an ensemble of " + ensemble : "");
        summary.metrics().ifPresent(m -> o.println(vrmseLine(m)));
        if (summary.writtenSteps() < summary.steps()) {
            o.printf("the prediction file holds the first %d steps: later ones overflow in physical units%n",
                    summary.writtenSteps());
        }
        summary.files().forEach(f -> o.println("wrote " + f));
        o.flush();
        return 0;
    }

    /** VRMSE over fields per window of steps, with the persistence baseline: the headline of a rollout. */
    private static String vrmseLine(MetricsResults m) {
        StringBuilder s = new StringBuilder("VRMSE (full; persistence):");
        var base = m.persistence().map(p -> p.windows()).orElse(null);
        m.model().windows().forEach((window, byMetric) -> {
            s.append(" steps ").append(window).append(' ')
                    .append(Format.number(byMetric.get(Metric.VRMSE.key()).get(FieldLayout.FULL)));
            if (base != null) s.append(" (").append(Format.number(base.get(window).get(Metric.VRMSE.key())
                    .get(FieldLayout.FULL))).append(')');
            s.append(';');
        });
        m.ensemble().ifPresent(e -> s.append(" spread-error correlation ")
                .append(Format.number(e.spreadErrorCorrelation().get(FieldLayout.FULL))));
        return s.toString();
    }
}
