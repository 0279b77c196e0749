package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReportTest {
    private static final FieldLayout LAYOUT = Synthetic.layout2d(8);

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    private static MetricsResults scored(int steps, boolean ensemble) {
        RolloutScorer scorer = new RolloutScorer(LAYOUT, steps);
        float[][] last = Synthetic.truth(LAYOUT, -1);
        for (int t = 0; t < steps; t++) {
            float[][] truth = Synthetic.truth(LAYOUT, t);
            if (ensemble) {
                scorer.scoreEnsemble(t, new float[][][] {Synthetic.prediction(LAYOUT, t, 0.02, 1),
                    Synthetic.prediction(LAYOUT, t, 0.02, 2)}, truth);
            } else {
                scorer.score(t, Synthetic.prediction(LAYOUT, t, 0.02, t), truth);
            }
            scorer.scorePersistence(t, last, truth);
        }
        return scorer.results();
    }

    @Test
    void jsonHasExactlyTheDocumentedSchema(@TempDir Path dir) throws Exception {
        MetricsResults results = scored(7, false);
        MetricsReport.write(results, dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(List.of("fields", "steps", "per_step", "windows", "persistence"), keys(root));
        assertEquals(List.of("density", "velocity_x", "velocity_y"),
                keys(root.get("per_step").get("VRMSE")).subList(0, 3));
        assertEquals(7, root.get("steps").asInt());
        List<String> metricKeys = Arrays.stream(Metric.values()).map(Metric::key).toList();
        List<String> columns = List.of("density", "velocity_x", "velocity_y", "full");
        for (JsonNode table : List.of(root, root.get("persistence"))) {
            assertEquals(metricKeys, keys(table.get("per_step")));
            for (String metric : metricKeys) {
                JsonNode byField = table.get("per_step").get(metric);
                assertEquals(columns, keys(byField));
                for (String c : columns) assertEquals(7, byField.get(c).size());
            }
            assertEquals(List.of("1", "2-5", "6-7"), keys(table.get("windows")));
            for (JsonNode window : table.get("windows")) {
                assertEquals(metricKeys, keys(window));
                for (JsonNode byField : window) assertEquals(columns, keys(byField));
            }
        }
        assertEquals(List.of("per_step", "windows"), keys(root.get("persistence")));
        JsonNode fields = root.get("fields");
        assertEquals(3, fields.size());
        assertEquals("velocity_y", fields.get(2).asText());

        // The numbers are the results' numbers.
        double[] vrmse = results.model().curve(Metric.VRMSE, "density");
        for (int t = 0; t < 7; t++) assertEquals(vrmse[t], root.get("per_step").get("VRMSE").get("density").get(t).asDouble());
        double window = (vrmse[1] + vrmse[2] + vrmse[3] + vrmse[4]) / 4;
        assertEquals(window, root.get("windows").get("2-5").get("VRMSE").get("density").asDouble(), 1e-15);
        double persistenceFull = results.persistence().orElseThrow().full(Metric.NRMSE)[0];
        assertEquals(persistenceFull, root.get("persistence").get("windows").get("1").get("NRMSE").get("full").asDouble());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void ensemblesAddTheirBlock() {
        JsonNode root = MetricsReport.toJson(scored(3, true));
        assertEquals(List.of("fields", "steps", "per_step", "windows", "persistence", "ensemble"), keys(root));
        JsonNode e = root.get("ensemble");
        assertEquals(List.of("members", "spread", "member_vrmse_min", "member_vrmse_max", "spread_error_correlation"), keys(e));
        assertEquals(2, e.get("members").asInt());
        assertEquals(3, e.get("spread").get("full").size());
        assertTrue(e.get("spread").get("density").get(0).asDouble() > 0);
    }

    @Test
    void valuesThatAreNotFiniteBecomeNull() {
        RolloutScorer scorer = new RolloutScorer(LAYOUT, 2);
        float[][] truth = Synthetic.truth(LAYOUT, 0);
        float[][] diverged = Synthetic.truth(LAYOUT, 0);
        diverged[0][3] = Float.NaN;
        scorer.score(0, diverged, truth);
        JsonNode root = MetricsReport.toJson(scorer.results());
        assertTrue(root.get("per_step").get("VRMSE").get("density").get(0).isNull());
        assertEquals(0.0, root.get("per_step").get("VRMSE").get("velocity_x").get(0).asDouble());
        assertTrue(MetricsReport.toCsv(scorer.results()).contains(",nan,"));
    }

    @Test
    void csvHasARowPerStepAndField() {
        MetricsResults results = scored(4, false);
        List<String> lines = MetricsReport.toCsv(results).lines().toList();
        assertEquals(1 + 4 * 4, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals("step", header.get(0));
        assertEquals("field", header.get(1));
        assertEquals(2 + 2 * Metric.values().length, header.size());
        assertTrue(header.contains("persistence_VRMSE"));
        String[] row = lines.get(1 + 2 * 4 + 1).split(","); // step 3, velocity_x
        assertEquals("3", row[0]);
        assertEquals("velocity_x", row[1]);
        assertEquals(results.model().curve(Metric.VRMSE, "velocity_x")[2], Double.parseDouble(row[header.indexOf("VRMSE")]));
    }
}
