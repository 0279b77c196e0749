package org.walrusjava.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;
import org.walrusjava.api.Jitter;
import org.walrusjava.api.Rollouts;
import org.walrusjava.api.Walrus;
import org.walrusjava.api.WellWindows;
import org.walrusjava.rollout.Metric;
import org.walrusjava.rollout.MetricsResults;
import org.walrusjava.sim.SimulatedDataset;
import org.walrusjava.sim.SplitFractions;
import org.walrusjava.tensor.DType;
import org.walrusjava.viz.HtmlPage;

/**
 * The whole system on a fresh machine: simulate physics with the built-in solvers, train a small Walrus on it (or
 * take a given checkpoint), roll it out on held-out trajectories against the persistence baseline, and write the
 * report (per-system rollout pages with GIFs and plots, `metrics.json`, `index.html`).
 */
public final class Demo {
    /** One system's scores: VRMSE averaged over fields and held-out trajectories, at step 1 and over steps 1-N. */
    public record Scores(double modelOneStep, double modelMultiStep, double persistenceOneStep,
                         double persistenceMultiStep, int trajectories) {}

    public record Result(Path index, Path metrics, Map<String, Scores> systems) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Demo() {}

    /** Trains a small model from scratch on the simulated data, then evaluates it. */
    public static Result run(DemoSettings settings, Path out, PrintStream log) {
        Map<String, Simulated> data = simulate(settings, out.resolve("data"), log);
        log.println("[2/3] training a small Walrus (" + settings.model() + ", " + settings.training().steps()
                + " steps)");
        DemoModel.Trained trained = DemoModel.train(settings,
                data.values().stream().map(Simulated::root).toList(), out.resolve("model"), log);
        try (Walrus walrus = load(trained.checkpoint(), trained.config(), settings)) {
            return evaluate(settings, walrus, data, out, log);
        }
    }

    /** Evaluates a given model (for example the released one) zero-shot on freshly simulated data. */
    public static Result runZeroShot(DemoSettings settings, Path checkpoint, Path config, Path out, PrintStream log) {
        try (Walrus walrus = load(checkpoint, config, settings)) {
            Map<String, Simulated> data = simulate(settings, out.resolve("data"), log);
            log.println("[2/3] zero-shot: no training, using " + checkpoint);
            return evaluate(settings, walrus, data, out, log);
        }
    }

    private static Walrus load(Path checkpoint, Path config, DemoSettings settings) {
        return Walrus.load(checkpoint, config, new Walrus.Options(DType.FLOAT32, settings.device(), false));
    }

    /** Dataset roots by system name, with how many held-out (test) trajectories each has. */
    private record Simulated(Path root, int testTrajectories) {}

    private static Map<String, Simulated> simulate(DemoSettings settings, Path dir, PrintStream log) {
        Map<String, Simulated> roots = new LinkedHashMap<>();
        for (DemoSettings.Dataset d : settings.datasets()) {
            String name = d.system().name();
            log.printf("[1/3] simulating %s: %d trajectories x %d frames at %d^%d%n", name, d.trajectories(),
                    d.frames(), d.resolution(), d.system().nSpatialDims());
            SimulatedDataset.Result r = SimulatedDataset.write(new SimulatedDataset.Request(d.system(),
                    d.trajectories(), d.frames(), d.resolution(), settings.seed(), SplitFractions.defaults()),
                    dir.resolve(name), true, (done, total) -> {});
            roots.put(name, new Simulated(r.root(), r.files().get("test").size()));
        }
        return roots;
    }

    private static Result evaluate(DemoSettings settings, Walrus walrus, Map<String, Simulated> data, Path out,
                                   PrintStream log) {
        Map<String, Scores> scores = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        List<String[]> links = new ArrayList<>();
        List<String[]> images = new ArrayList<>();
        for (var e : data.entrySet()) {
            String name = e.getKey();
            int testTrajectories = e.getValue().testTrajectories();
            double[] sums = new double[4];
            for (int i = 0; i < testTrajectories; i++) {
                Path dir = out.resolve("systems").resolve(name).resolve("trajectory-" + i);
                log.printf("[3/3] rolling out %s, held-out trajectory %d of %d%n", name, i + 1, testTrajectories);
                WellWindows.Request request = new WellWindows.Request(e.getValue().root(), "test", i, 0,
                        OptionalInt.of(settings.training().inputFrames()), 1, java.util.Optional.of(name));
                Rollouts.Summary s = Rollouts.fromWell(walrus, request, Rollouts.Settings.single(
                        OptionalInt.of(settings.rolloutSteps()), Jitter.seeded(settings.seed())), dir, org.walrusjava.rollout.ProgressListener.NONE);
                MetricsResults m = s.metrics().orElseThrow(() -> new UserError(name + ": the rollout produced no metrics"));
                double[] model = m.model().full(Metric.VRMSE);
                double[] persistence = m.persistence().orElseThrow().full(Metric.VRMSE);
                sums[0] += model[0];
                sums[1] += mean(model);
                sums[2] += persistence[0];
                sums[3] += mean(persistence);
                String rel = "systems/" + name + "/trajectory-" + i + "/";
                links.add(new String[] {rel + "index.html", name + ", held-out trajectory " + i});
                if (i == 0) {
                    images.add(new String[] {rel + "rollout.gif", name + ": truth | prediction | error, step by step"});
                    images.add(new String[] {rel + "vrmse.png", name + ": VRMSE per field and step"});
                }
            }
            Scores sc = new Scores(sums[0] / testTrajectories, sums[1] / testTrajectories, sums[2] / testTrajectories,
                    sums[3] / testTrajectories, testTrajectories);
            scores.put(name, sc);
            rows.add(List.of(name, fmt(sc.modelOneStep()), fmt(sc.persistenceOneStep()), fmt(sc.modelMultiStep()),
                    fmt(sc.persistenceMultiStep())));
        }
        Path metrics = out.resolve("metrics.json");
        AtomicFiles.write(metrics, o -> JSON.writeValue(o, document(settings, scores)));
        HtmlPage page = new HtmlPage("walrus-java demo")
                .heading("walrus-java demo")
                .paragraph("VRMSE (0 is perfect; 1 is as good as predicting the mean) of the model and of the persistence"
                        + " baseline (the last frame, unchanged), averaged over fields and held-out trajectories; the"
                        + " multi-step figure is the mean over steps 1 to " + settings.rolloutSteps() + ".")
                .table("VRMSE per system", List.of("system", "model, 1 step", "persistence, 1 step",
                        "model, steps 1-" + settings.rolloutSteps(), "persistence, steps 1-" + settings.rolloutSteps()), rows)
                .links(links);
        for (String[] img : images)
            if (java.nio.file.Files.exists(out.resolve(img[0]))) page.image(img[0], img[1]);
        Path index = page.write(out, "index.html");
        log.printf("%-24s %10s %12s %10s %12s%n", "system", "model@1", "persist@1", "model@1-" + settings.rolloutSteps(),
                "persist@1-" + settings.rolloutSteps());
        scores.forEach((k, v) -> log.printf("%-24s %10.4f %12.4f %10.4f %12.4f%n", k, v.modelOneStep(),
                v.persistenceOneStep(), v.modelMultiStep(), v.persistenceMultiStep()));
        return new Result(index, metrics, scores);
    }

    private static Map<String, Object> document(DemoSettings settings, Map<String, Scores> scores) {
        Map<String, Object> systems = new LinkedHashMap<>();
        scores.forEach((name, s) -> systems.put(name, Map.of(
                "model", Map.of("vrmse_1step", s.modelOneStep(), "vrmse_10step", s.modelMultiStep()),
                "persistence", Map.of("vrmse_1step", s.persistenceOneStep(), "vrmse_10step", s.persistenceMultiStep()),
                "held_out_trajectories", s.trajectories())));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("systems", systems);
        doc.put("rollout_steps", settings.rolloutSteps());
        doc.put("model", Map.of("hidden_dim", settings.model().hidden(), "processor_blocks", settings.model().blocks(),
                "heads", settings.model().heads(), "kernel", settings.model().kernel(),
                "training_steps", settings.training().steps()));
        return doc;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }
}
