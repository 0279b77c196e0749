package org.walrusjava.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.rollout.FieldLayout;
import org.walrusjava.rollout.MetricsResults;
import org.walrusjava.rollout.PredictionFile;
import org.walrusjava.rollout.ProgressListener;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.rollout.RolloutReport;
import org.walrusjava.rollout.RolloutRunner;
import org.walrusjava.rollout.RolloutScorer;
import org.walrusjava.tensor.Tensor;

/**
 * Autoregressive rollouts as `walrus rollout` runs them, for library users too: from a trajectory of Well data
 * (scored against the truth, written back as a Well file with metrics and pictures) or from a window given as a
 * tensor with its case (predictions only).
 */
public final class Rollouts {
    /** The run's description in the output folder. */
    public static final String RUN_FILE = "run.json";
    /** The predictions of a rollout from a tensor window. */
    public static final String TENSOR_FILE = "rollout.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param steps steps to predict; absent: every frame that follows the window (Well data only)
     * @param members ensemble size, 1 for a single rollout
     * @param perturbation relative input noise of ensemble members (0: members differ only in their jitter)
     * @param divergenceVrmse a rollout whose VRMSE (mean over fields) passes this is stopped
     */
    public record Settings(OptionalInt steps, int members, Jitter jitter, double perturbation, double divergenceVrmse) {
        public static Settings single(OptionalInt steps, Jitter jitter) {
            return new Settings(steps, 1, jitter, 0, RolloutRunner.DEFAULT_DIVERGENCE_VRMSE);
        }

        RolloutRunner.Plan plan(int steps, CaseSpec c) {
            return new RolloutRunner.Plan(steps, members, k -> jitter.rolls(k, c), perturbation, jitter.seed(),
                    divergenceVrmse);
        }
    }

    /**
     * @param plannedSteps steps asked for
     * @param steps steps kept (fewer when the rollout was stopped)
     * @param writtenSteps steps in the prediction file (fewer than steps if a kept frame overflows in physical units)
     * @param metrics the scores against the truth (Well data only)
     * @param files what was written, in the output folder
     */
    public record Summary(int plannedSteps, int steps, int writtenSteps, Optional<RolloutRunner.Stop> stop,
                         Optional<MetricsResults> metrics, List<Path> files) {}

    private Rollouts() {}

    /**
     * Rolls a trajectory of Well data forward from a window and writes, into {@code out}: prediction.hdf5 (the
     * predicted frames in the source's units and layout, one trajectory per ensemble member), metrics.json,
     * metrics.csv, pictures, index.html and run.json.
     */
    public static Summary fromWell(Walrus walrus, WellWindows.Request request, Settings settings, Path out,
                                   ProgressListener progress) {
        WellWindows.Truth truth = settings.steps().isPresent()
                ? WellWindows.Truth.exactly(settings.steps().getAsInt()) : WellWindows.Truth.rest();
        WellWindow w = WellWindows.read(walrus.config(), request, truth);
        WellWindow.Source src = w.source();
        String where = src.file() + ": trajectory " + src.trajectoryInFile();
        int planned = w.truth().length;
        if (planned == 0) throw new UserError(where + ": no frame follows the window, nothing to roll out");
        walrus.validate(w.raw(), w.caseSpec());

        FieldLayout layout = w.layout();
        RolloutRunner.Truth reference = new RolloutRunner.Truth(layout, w.truth(), w.lastInput());
        RolloutRunner.Outcome outcome = RolloutRunner.run(walrus.predictor(), onDevice(walrus, w.rolloutWindow()),
                settings.plan(planned, w.caseSpec()), reference, progress);
        requireSomething(outcome, where);

        createFolder(out);
        List<float[][][]> frames = outcome.perStep(0);
        int written = PredictionFile.write(out.resolve(PredictionFile.NAME), w.predictionSource(), frames,
                outcome.steps());
        String title = src.datasetName() + ", trajectory " + src.trajectory() + " from step " + src.start();
        RolloutScorer scorer = new RolloutScorer(layout, planned);
        RolloutReport report = new RolloutReport(out, layout, planned, title);
        RolloutRunner.score(frames, outcome.steps(), reference, scorer, report);
        report.note("Source: " + src.file().getFileName() + ", trajectory " + src.trajectoryInFile() + ", window of "
                + src.history() + " frames at stride " + src.stride() + " from step " + src.start() + "; "
                + settings.jitter().describe() + (settings.members() > 1 ? ", ensemble of " + settings.members() : "")
                + ".");
        outcome.stop().ifPresent(s -> report.note("The rollout was " + s.message() + "."));
        List<Path> files = new ArrayList<>();
        if (written > 0) {
            report.linkFile(PredictionFile.NAME, PredictionFile.NAME + ": the predicted frames in the source's units"
                    + " (Well format" + (settings.members() > 1 ? ", one trajectory per ensemble member" : "") + ")");
            files.add(out.resolve(PredictionFile.NAME));
        }
        MetricsResults results = scorer.results();
        Map<String, Object> run = runInfo(planned, outcome, written, settings);
        run.put("source", Map.of("file", src.file().toString(), "dataset", src.datasetName(),
                "trajectory", src.trajectory(), "trajectory_in_file", src.trajectoryInFile(), "start", src.start(),
                "history", src.history(), "stride", src.stride()));
        writeJson(out.resolve(RUN_FILE), run);
        report.linkFile(RUN_FILE, RUN_FILE + ": what was run, and where it stopped");
        files.add(report.write(results));
        files.add(out.resolve(RUN_FILE));
        return new Summary(planned, outcome.steps(), written, outcome.stop(), Optional.of(results), files);
    }

    /**
     * Rolls a window given as a tensor (T, B, C, H, W, D) forward {@code settings.steps()} steps and writes
     * rollout.safetensors: `rollout_pred` (N, B, C_var, H, W, D), for an ensemble the members' mean, then
     * `rollout_spread` (unbiased standard deviation over members) and `rollout_members` (K, N, B, C_var, H, W, D).
     */
    public static Summary fromInput(Walrus walrus, Tensor raw, CaseSpec c, Settings settings, Path out,
                                    ProgressListener progress) {
        if (settings.steps().isEmpty()) {
            throw new UserError("--steps is required with --input (there is no trajectory to run to its end)");
        }
        int planned = settings.steps().getAsInt();
        if (planned < 1) throw new UserError("--steps must be at least 1, got " + planned);
        walrus.validate(raw, c);
        Rollout.Window start = new Rollout.Window(raw, c.fieldIndices(), c.bcs(), c.variableChannels(),
                c.paddedFieldMask(), null);
        RolloutRunner.Outcome outcome = RolloutRunner.run(walrus.predictor(), onDevice(walrus, start),
                settings.plan(planned, c), null, progress);
        requireSomething(outcome, "the input");
        createFolder(out);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (outcome.members().size() == 1) {
            tensors.put("rollout_pred", outcome.members().getFirst());
        } else {
            Tensor all = Tensor.stack(outcome.members(), 0);
            Tensor mean = all.mean(new long[] {0}, false);
            tensors.put("rollout_pred", mean);
            tensors.put("rollout_spread", all.sub(mean.unsqueeze(0)).square().sum(new long[] {0}, false)
                    .div(outcome.members().size() - 1).sqrt());
            tensors.put("rollout_members", all);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("variable_fields", String.join(",", c.variableFields()));
        metadata.put("steps", Integer.toString(outcome.steps()));
        metadata.put("jitter", settings.jitter().describe());
        outcome.stop().ifPresent(s -> metadata.put("stopped", s.message()));
        Path file = out.resolve(TENSOR_FILE);
        SafeTensors.write(file, tensors, metadata);
        writeJson(out.resolve(RUN_FILE), runInfo(planned, outcome, outcome.steps(), settings));
        return new Summary(planned, outcome.steps(), outcome.steps(), outcome.stop(), Optional.empty(),
                List.of(file, out.resolve(RUN_FILE)));
    }

    private static Map<String, Object> runInfo(int planned, RolloutRunner.Outcome outcome, int written,
                                               Settings settings) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("planned_steps", planned);
        run.put("steps", outcome.steps());
        run.put("written_steps", written);
        run.put("members", settings.members());
        run.put("jitter", settings.jitter().enabled() ? "seeded" : "off");
        run.put("seed", settings.jitter().seed());
        run.put("perturbation", settings.perturbation());
        run.put("divergence_vrmse", settings.divergenceVrmse());
        run.put("stopped", outcome.stop().map(s -> (Object) Map.of("step", s.step() + 1, "reason", s.reason()))
                .orElse(null));
        return run;
    }

    private static void requireSomething(RolloutRunner.Outcome outcome, String where) {
        if (outcome.steps() == 0) {
            throw new UserError(where + ": the rollout " + outcome.stop().map(RolloutRunner.Stop::message)
                    .orElse("made no step") + "; no predicted step to keep");
        }
    }

    /** The window on the device of the model's weights. */
    static Rollout.Window onDevice(Walrus walrus, Rollout.Window w) {
        var device = walrus.model().deviceOfWeights();
        return new Rollout.Window(w.raw().to(device), w.labels(), w.bcs(), w.variableChannels(), w.realChannel(),
                w.solid() == null ? null : w.solid().to(device));
    }

    private static void createFolder(Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError(out + ": cannot create the output folder (" + e.getMessage() + ")", e);
        }
    }

    private static void writeJson(Path file, Map<String, Object> value) {
        ObjectNode node = JSON.valueToTree(value);
        AtomicFiles.write(file, o -> JSON.writeValue(o, node));
    }
}
