package org.walrusjava.rollout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.walrusjava.viz.Format;
import org.walrusjava.viz.HtmlPage;
import org.walrusjava.viz.LinePlot;
import org.walrusjava.viz.RolloutPictures;

/**
 * Everything a rollout leaves in its output folder besides the predicted data: metrics.json and metrics.csv, the
 * step panels, rollout.gif, vrmse.png and an index.html that shows them with the metric tables. Feed it frames as
 * the rollout runs (it keeps only the steps it will draw, see {@link #wantsFrame}) and the scorer's results at the
 * end:
 *
 * <pre>
 * RolloutReport report = new RolloutReport(dir, layout, steps, "shear_flow, trajectory 3");
 * for each step t:  scorer.score(t, pred, truth);  if (report.wantsFrame(t)) report.addFrame(t, truth, pred);
 * report.write(scorer.results());
 * </pre>
 *
 * Frames are per channel as in {@link FieldLayout}; padded channels are ignored.
 */
public final class RolloutReport {
    public static final String INDEX = "index.html";

    private final Path dir;
    private final FieldLayout layout;
    private final String title;
    private final RolloutPictures pictures;
    private final List<String[]> extraLinks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public RolloutReport(Path dir, FieldLayout layout, int plannedSteps, String title) {
        this(dir, layout, plannedSteps, title, RolloutPictures.Options.defaults());
    }

    public RolloutReport(Path dir, FieldLayout layout, int plannedSteps, String title, RolloutPictures.Options options) {
        this.dir = dir;
        this.layout = layout;
        this.title = title;
        this.pictures = new RolloutPictures(layout.fields(), layout.shape(), plannedSteps, options);
    }

    /** Whether the frame of this step (0-based) will be drawn. */
    public boolean wantsFrame(int step) {
        return pictures.keeps(step);
    }

    /** A step of a single rollout (one sample): true and predicted frames. */
    public void addFrame(int step, float[][] truth, float[][] prediction) {
        layout.check(truth, "truth");
        layout.check(prediction, "prediction");
        pictures.add(step, realFields(truth), realFields(prediction), null);
    }

    /** A step of an ensemble rollout: the ensemble mean is drawn as the prediction, next to the spread. */
    public void addFrame(int step, float[][] truth, EnsembleStats.Frame ensemble) {
        layout.check(truth, "truth");
        layout.check(ensemble.mean(), "ensemble mean");
        layout.check(ensemble.spread(), "ensemble spread");
        pictures.add(step, realFields(truth), realFields(ensemble.mean()), realFields(ensemble.spread()));
    }

    /**
     * Adds a link in the report to another file in the folder (e.g. prediction.hdf5); the file must exist when
     * {@link #write} runs, since the report never links to a missing file.
     */
    public void linkFile(String relativePath, String description) {
        extraLinks.add(new String[] {relativePath, description});
    }

    /** Adds a sentence under the introduction: where the data came from, why the rollout stopped, ... */
    public void note(String sentence) {
        notes.add(sentence);
    }

    /** Writes metrics, pictures and index.html; returns the path of index.html. */
    public Path write(MetricsResults results) {
        MetricsReport.write(results, dir);
        RolloutPictures.Written drawn = pictures.write(dir, vrmseCurves(results));
        HtmlPage page = new HtmlPage(title);
        page.paragraph(results.steps() + " predicted steps of " + String.join(", ", results.fields()) + " on a "
                + Arrays.stream(layout.shape()).mapToObj(Integer::toString).collect(Collectors.joining(" \u00d7 "))
                + " grid. Metrics follow The Well (eps 1e-7, unbiased variance), averaged over samples; \"full\" is"
                + " the mean over fields; step 1 is the first predicted frame.");
        notes.forEach(page::paragraph);
        page.heading("VRMSE by time window");
        page.table(results.persistence().isPresent() ? "model / persistence baseline (last input frame copied)"
                : "model", header("steps", results.model().columns()), vrmseRows(results));
        page.heading("Every metric, averaged over fields");
        page.table("model, \"full\" column, by window of steps",
                header("metric", List.copyOf(results.model().windows().keySet())), fullRows(results.model()));
        results.ensemble().ifPresent(e -> {
            page.heading("Ensemble of " + e.members());
            page.table("spread = sqrt(mean member variance); correlation with the ensemble mean's RMSE over steps",
                    List.of("field", "spread-error correlation", "spread at last step"), ensembleRows(e, results.steps()));
        });
        drawn.plot().ifPresent(p -> page.heading("Error growth").image(p,
                "VRMSE per field against step" + (results.ensemble().isPresent() ? "; bands: range over members" : "")));
        drawn.gif().ifPresent(g -> page.heading("Rollout").image(g, "truth | prediction | error, every kept step"));
        if (!drawn.panels().isEmpty()) page.heading("Steps");
        for (int i = 0; i < drawn.panels().size(); i++) {
            page.image(drawn.panels().get(i), "step " + (drawn.panelSteps().get(i) + 1));
        }
        List<String[]> files = new ArrayList<>();
        files.add(new String[] {MetricsReport.JSON_FILE, "metrics.json: every metric per step and per time window"});
        files.add(new String[] {MetricsReport.CSV_FILE, "metrics.csv: one row per step and field"});
        files.addAll(extraLinks);
        page.heading("Files").links(files);
        return page.write(dir, INDEX);
    }

    private List<float[]> realFields(float[][] frame) {
        List<float[]> out = new ArrayList<>();
        for (int c : layout.realChannels()) out.add(frame[c]);
        return out;
    }

    /** VRMSE of each field and of "full", with member bands for an ensemble, and the persistence baseline. */
    private static List<LinePlot.Series> vrmseCurves(MetricsResults results) {
        List<LinePlot.Series> out = new ArrayList<>();
        MetricTable model = results.model();
        for (String column : model.columns()) {
            double[] curve = model.curve(Metric.VRMSE, column);
            out.add(results.ensemble()
                    .map(e -> LinePlot.Series.withBand(column, curve, e.memberVrmseMin().get(column),
                            e.memberVrmseMax().get(column)))
                    .orElse(LinePlot.Series.line(column, curve)));
        }
        results.persistence().ifPresent(p ->
                out.add(LinePlot.Series.dashed("persistence (full)", p.full(Metric.VRMSE))));
        return out;
    }

    private static List<String> header(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static List<List<String>> vrmseRows(MetricsResults results) {
        Map<String, Map<String, Map<String, Double>>> model = results.model().windows();
        Map<String, Map<String, Map<String, Double>>> base = results.persistence().map(MetricTable::windows).orElse(null);
        List<List<String>> rows = new ArrayList<>();
        model.forEach((window, byMetric) -> {
            List<String> row = new ArrayList<>(List.of(window));
            for (String column : results.model().columns()) {
                String cell = Format.number(byMetric.get(Metric.VRMSE.key()).get(column));
                if (base != null) cell += " / " + Format.number(base.get(window).get(Metric.VRMSE.key()).get(column));
                row.add(cell);
            }
            rows.add(row);
        });
        return rows;
    }

    /** One row per metric, one column per window: narrow enough to read without scrolling. */
    private static List<List<String>> fullRows(MetricTable table) {
        Map<String, Map<String, Map<String, Double>>> windows = table.windows();
        List<List<String>> rows = new ArrayList<>();
        for (Metric m : Metric.values()) {
            List<String> row = new ArrayList<>(List.of(m.key()));
            windows.values().forEach(byMetric -> row.add(Format.number(byMetric.get(m.key()).get(FieldLayout.FULL))));
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> ensembleRows(EnsembleSummary e, int steps) {
        List<List<String>> rows = new ArrayList<>();
        for (String column : e.columns()) {
            rows.add(List.of(column, Format.number(e.spreadErrorCorrelation().get(column)),
                    Format.number(e.spread().get(column)[steps - 1])));
        }
        return rows;
    }
}
