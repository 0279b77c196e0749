package org.walrusjava.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.walrusjava.AtomicFiles;

/**
 * Writes a rollout's {@link MetricsResults} as metrics.json and metrics.csv (each atomically).
 *
 * <p>metrics.json: {"fields": [...], "steps": N, "per_step": {METRIC: {FIELD: [N values]}}, "windows": {"1":
 * {METRIC: {FIELD: v}}, "2-5": ..., ...}, "persistence": {"per_step": ..., "windows": ...}} where FIELD runs over
 * the fields and "full"; "persistence" only when the baseline was scored, and "ensemble" ({"members", "spread",
 * "member_vrmse_min", "member_vrmse_max", "spread_error_correlation"}) only for ensembles. Values that are not
 * finite (a diverged rollout) are written as null, which JSON readers accept, rather than NaN, which they do not.
 *
 * <p>metrics.csv: one row per step (from 1) and field (and "full"), one column per metric, then the same metrics
 * prefixed "persistence_" and the ensemble columns when present; non-finite values as nan / inf / -inf.
 */
public final class MetricsReport {
    public static final String JSON_FILE = "metrics.json";
    public static final String CSV_FILE = "metrics.csv";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsReport() {}

    /** Writes dir/metrics.json and dir/metrics.csv. */
    public static void write(MetricsResults results, Path dir) {
        AtomicFiles.write(dir.resolve(JSON_FILE), out -> JSON.writeValue(out, toJson(results)));
        AtomicFiles.writeString(dir.resolve(CSV_FILE), toCsv(results));
    }

    public static ObjectNode toJson(MetricsResults results) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode fields = root.putArray("fields");
        results.fields().forEach(fields::add);
        root.put("steps", results.steps());
        putTable(root, results.model());
        results.persistence().ifPresent(p -> putTable(root.putObject("persistence"), p));
        results.ensemble().ifPresent(e -> putEnsemble(root.putObject("ensemble"), e));
        return root;
    }

    private static void putTable(ObjectNode node, MetricTable table) {
        ObjectNode perStep = node.putObject("per_step");
        table.perStep().forEach((metric, byField) -> putCurves(perStep.putObject(metric), byField, table.columns()));
        ObjectNode windows = node.putObject("windows");
        table.windows().forEach((label, byMetric) -> {
            ObjectNode window = windows.putObject(label);
            byMetric.forEach((metric, byField) -> {
                ObjectNode values = window.putObject(metric);
                byField.forEach((field, v) -> putNumber(values, field, v));
            });
        });
    }

    private static void putEnsemble(ObjectNode node, EnsembleSummary e) {
        node.put("members", e.members());
        putCurves(node.putObject("spread"), e.spread(), e.columns());
        putCurves(node.putObject("member_vrmse_min"), e.memberVrmseMin(), e.columns());
        putCurves(node.putObject("member_vrmse_max"), e.memberVrmseMax(), e.columns());
        ObjectNode correlation = node.putObject("spread_error_correlation");
        for (String c : e.columns()) putNumber(correlation, c, e.spreadErrorCorrelation().get(c));
    }

    private static void putCurves(ObjectNode node, Map<String, double[]> curves, List<String> columns) {
        for (String c : columns) {
            ArrayNode values = node.putArray(c);
            for (double v : curves.get(c)) {
                if (Double.isFinite(v)) values.add(v);
                else values.addNull();
            }
        }
    }

    private static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) node.put(key, v);
        else node.putNull(key);
    }

    public static String toCsv(MetricsResults results) {
        MetricTable model = results.model();
        Map<String, Map<String, double[]>> modelCurves = model.perStep();
        Map<String, Map<String, double[]>> baseCurves = results.persistence().map(MetricTable::perStep).orElse(null);
        StringBuilder csv = new StringBuilder("step,field");
        for (Metric m : Metric.values()) csv.append(',').append(m.key());
        results.persistence().ifPresent(p -> {
            for (Metric m : Metric.values()) csv.append(",persistence_").append(m.key());
        });
        results.ensemble().ifPresent(e -> csv.append(",ensemble_spread,member_vrmse_min,member_vrmse_max"));
        csv.append('\n');
        for (int t = 0; t < results.steps(); t++) {
            for (String field : model.columns()) {
                csv.append(t + 1).append(',').append(csvText(field));
                appendMetrics(csv, modelCurves, field, t);
                if (baseCurves != null) appendMetrics(csv, baseCurves, field, t);
                final int step = t;
                results.ensemble().ifPresent(e -> {
                    csv.append(',').append(csvNumber(e.spread().get(field)[step]));
                    csv.append(',').append(csvNumber(e.memberVrmseMin().get(field)[step]));
                    csv.append(',').append(csvNumber(e.memberVrmseMax().get(field)[step]));
                });
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    private static void appendMetrics(StringBuilder csv, Map<String, Map<String, double[]>> curves, String field,
                                      int step) {
        for (Metric m : Metric.values()) csv.append(',').append(csvNumber(curves.get(m.key()).get(field)[step]));
    }

    private static String csvNumber(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Double.toString(v);
    }

    /** Field names come from data files; quote the rare one that would break a CSV row. */
    private static String csvText(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
