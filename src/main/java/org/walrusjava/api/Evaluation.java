package org.walrusjava.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;
import org.walrusjava.data.DatasetInfo;
import org.walrusjava.data.WellPaths;
import org.walrusjava.data.WellDataset;
import org.walrusjava.data.WindowSpec;
import org.walrusjava.rollout.FieldLayout;
import org.walrusjava.rollout.Frames;
import org.walrusjava.rollout.Metric;
import org.walrusjava.rollout.MetricTable;
import org.walrusjava.rollout.MetricsReport;
import org.walrusjava.rollout.MetricsResults;
import org.walrusjava.rollout.ProgressListener;
import org.walrusjava.rollout.RolloutReport;
import org.walrusjava.rollout.RolloutRunner;
import org.walrusjava.rollout.RolloutScorer;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.viz.Format;

/**
 * Evaluates a model on a split of Well data the way The Well's benchmark does: one-step metrics over every window
 * (stride 1) or a seeded sample of them, and rollout metrics from the start of each trajectory, per field and
 * averaged over fields ("full"), each next to the persistence baseline (the window's last frame copied) on the same
 * windows.
 */
public final class Evaluation {
    public static final String ONE_STEP_JSON = "one_step.json";
    public static final String ONE_STEP_CSV = "one_step.csv";
    public static final String SUMMARY = "summary.txt";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param windows evaluate a seeded sample of this many one-step windows instead of all
     * @param rolloutSteps longest rollout; absent: each trajectory to its end
     * @param trajectories roll out the first this many trajectories; absent: all
     */
    public record Request(Path data, String split, OptionalInt history, OptionalInt windows, OptionalInt rolloutSteps,
                          OptionalInt trajectories, Jitter jitter, Optional<String> datasetName) {}

    /**
     * @param source "split S" for a dataset root, else the file or folder name
     * @param windows one-step windows evaluated, of {@code availableWindows}
     * @param rollout absent when no trajectory is longer than the window
     * @param stops rollouts stopped early, one line each
     */
    public record Result(String dataset, String source, int history, int windows, long availableWindows,
                         MetricsResults oneStep, int trajectories, Optional<MetricsResults> rollout,
                         List<String> stops) {

        /** VRMSE tables as The Well prints its benchmark: fields down, model next to persistence. */
        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(dataset).append(" (").append(source).append("): one-step VRMSE over ").append(windows)
                    .append(" of ").append(availableWindows).append(" windows, ").append(history)
                    .append(" input frames\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("field", "Walrus", "persistence"));
            MetricTable model = oneStep.model();
            MetricTable base = oneStep.persistence().orElseThrow();
            for (String c : model.columns()) {
                rows.add(List.of(c, Format.number(model.curve(Metric.VRMSE, c)[0]),
                        Format.number(base.curve(Metric.VRMSE, c)[0])));
            }
            out.append(text(rows));
            rollout.ifPresent(r -> {
                out.append('\n').append("rollout VRMSE from step 0 of ").append(trajectories)
                        .append(" trajectories, by window of steps (persistence in brackets)\n");
                List<List<String>> table = new ArrayList<>();
                List<String> header = new ArrayList<>(List.of("steps"));
                header.addAll(r.model().columns());
                table.add(header);
                Map<String, Map<String, Map<String, Double>>> baseWindows = r.persistence().orElseThrow().windows();
                r.model().windows().forEach((window, byMetric) -> {
                    List<String> row = new ArrayList<>(List.of(window));
                    for (String c : r.model().columns()) {
                        row.add(Format.number(byMetric.get(Metric.VRMSE.key()).get(c)) + " ("
                                + Format.number(baseWindows.get(window).get(Metric.VRMSE.key()).get(c)) + ")");
                    }
                    table.add(row);
                });
                out.append(text(table));
            });
            stops.forEach(s -> out.append(s).append('\n'));
            return out.toString();
        }
    }

    private Evaluation() {}

    /**
     * Runs the evaluation and writes into {@code out}: one_step.json / one_step.csv (the one-step metrics in the
     * metrics.json schema with one step, plus "dataset", "source" and "samples", the windows averaged); for the
     * rollouts metrics.json, metrics.csv, the pictures of the first trajectory and index.html; and summary.txt,
     * which holds {@link Result#table()}.
     */
    public static Result run(Walrus walrus, Request r, Path out, ProgressListener progress) {
        WellWindows.Dataset d = WellWindows.dataset(walrus.config(), r.data(), r.split(), r.datasetName());
        int history = r.history().orElse(d.defaultHistory());
        if (history < 1) throw new UserError("--history must be at least 1, got " + history);
        try (WellDataset ds = WellWindows.open(d, r.data(), r.split(), WindowSpec.evaluation(history, 1, 1))) {
            long[] chosen = choose(ds.size(), r.windows(), r.jitter().seed());
            int[] rolloutSteps = rolloutSteps(ds.info(), history, r);
            long work = chosen.length + Arrays.stream(rolloutSteps).asLongStream().sum();

            RolloutScorer oneStep = null;
            FieldLayout layout = null;
            Random rng = new Random(r.jitter().seed());
            for (int i = 0; i < chosen.length; i++) {
                // The window's tensors and the prediction are freed with each step: the scores keep plain arrays.
                try (NativeScope scope = NativeScope.open()) {
                    WellWindow w = WellWindows.fromBatch(ds.sample(chosen[i], rng), history, d, -1);
                    if (oneStep == null) {
                        layout = w.layout();
                        oneStep = new RolloutScorer(layout, 1);
                    }
                    Tensor next = walrus.predict(w, r.jitter().rolls((int) chosen[i]));
                    oneStep.score(0, Frames.perStep(next, 0)[0], w.truth()[0]);
                    oneStep.scorePersistence(0, w.lastInput(), w.truth()[0]);
                }
                progress.update(i + 1, work);
            }
            MetricsResults oneStepResults = oneStep.results();
            writeOneStep(oneStepResults, d.name(), source(r), chosen.length, out);

            List<String> stops = new ArrayList<>();
            int longest = Arrays.stream(rolloutSteps).max().orElse(0);
            Optional<MetricsResults> rollout = Optional.empty();
            if (longest > 0) {
                RolloutScorer scorer = new RolloutScorer(layout, longest);
                int first = firstRolled(rolloutSteps);
                RolloutReport report = new RolloutReport(out, layout, rolloutSteps[first], d.name() + " ("
                        + source(r) + "): rollouts from step 0");
                report.note("Metrics average the rollouts of " + rolloutSteps.length + " trajectories; the pictures"
                        + " show trajectory " + first + ". " + capitalised(r.jitter().describe()) + ".");
                boolean scored = false;
                long done = chosen.length;
                for (int t = first; t < rolloutSteps.length; t++) {
                    if (rolloutSteps[t] == 0) continue;
                    try (NativeScope scope = NativeScope.open()) {
                        WellWindow w = WellWindows.read(walrus.config(), new WellWindows.Request(r.data(), r.split(),
                                t, 0, OptionalInt.of(history), 1, Optional.of(d.name())),
                                WellWindows.Truth.exactly(rolloutSteps[t]));
                        RolloutRunner.Truth truth = new RolloutRunner.Truth(layout, w.truth(), w.lastInput());
                        long base = done;
                        RolloutRunner.Outcome o = RolloutRunner.run(walrus.predictor(),
                                Rollouts.onDevice(walrus, w.rolloutWindow()),
                                RolloutRunner.Plan.single(rolloutSteps[t], r.jitter().rolls(t)), truth,
                                (n, total) -> progress.update(base + n, work));
                        int trajectory = t;
                        o.stop().ifPresent(s -> stops.add("trajectory " + trajectory + ": rollout " + s.message()));
                        RolloutRunner.score(o.perStep(0), o.steps(), truth, scorer, t == first ? report : null);
                        scored |= o.steps() > 0;
                    }
                    done += rolloutSteps[t];
                }
                if (scored) {
                    MetricsResults results = scorer.results();
                    rollout = Optional.of(results);
                    stops.forEach(report::note);
                    report.linkFile(ONE_STEP_JSON, ONE_STEP_JSON + ": one-step metrics over " + chosen.length
                            + " windows");
                    report.linkFile(ONE_STEP_CSV, ONE_STEP_CSV + ": the same, one row per field");
                    report.write(results);
                }
            }
            Result result = new Result(d.name(), source(r), history, chosen.length, ds.size(), oneStepResults,
                    rolloutSteps.length, rollout, stops);
            AtomicFiles.writeString(out.resolve(SUMMARY), result.table());
            return result;
        }
    }

    /** Every window, or a seeded sample of {@code wanted} of them in index order. */
    static long[] choose(long available, OptionalInt wanted, long seed) {
        if (available > Integer.MAX_VALUE) throw new UserError("too many windows to evaluate: " + available);
        int n = (int) available;
        int k = wanted.orElse(n);
        if (k < 1) throw new UserError("--windows must be at least 1, got " + k);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (k < n) {
            Random rng = new Random(seed);
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(n - i);
                int s = order[i];
                order[i] = order[j];
                order[j] = s;
            }
        }
        return Arrays.stream(Arrays.copyOf(order, Math.min(k, n))).sorted().asLongStream().toArray();
    }

    /** Steps each rolled-out trajectory gets: what follows the first window, at most the requested number. */
    private static int[] rolloutSteps(DatasetInfo info, int history, Request r) {
        int all = info.nTrajectories();
        int count = Math.min(all, r.trajectories().orElse(all));
        if (count < 0) throw new UserError("--trajectories must be at least 0, got " + count);
        int limit = r.rolloutSteps().orElse(Integer.MAX_VALUE);
        if (limit < 0) throw new UserError("--rollout-steps must be at least 0, got " + limit);
        int[] steps = new int[count];
        int t = 0;
        for (int f = 0; f < info.trajectoriesPerFile().length && t < count; f++) {
            for (int k = 0; k < info.trajectoriesPerFile()[f] && t < count; k++, t++) {
                steps[t] = Math.max(0, Math.min(limit, info.stepsPerTrajectory()[f] - history));
            }
        }
        return steps;
    }

    private static int firstRolled(int[] steps) {
        for (int t = 0; t < steps.length; t++) if (steps[t] > 0) return t;
        return -1;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String source(Request r) {
        return WellPaths.isDatasetRoot(r.data()) ? "split " + r.split() : String.valueOf(r.data().getFileName());
    }

    private static void writeOneStep(MetricsResults results, String dataset, String source, int windows, Path out) {
        ObjectNode node = JSON.createObjectNode();
        node.put("dataset", dataset);
        node.put("source", source);
        node.put("samples", windows);
        node.setAll(MetricsReport.toJson(results));
        AtomicFiles.write(out.resolve(ONE_STEP_JSON), o -> JSON.writeValue(o, node));
        AtomicFiles.writeString(out.resolve(ONE_STEP_CSV), MetricsReport.toCsv(results));
    }

    /** Left-aligned columns two spaces apart. */
    private static String text(List<List<String>> rows) {
        int[] width = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) line.append(String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
