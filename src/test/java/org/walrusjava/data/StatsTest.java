package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatsTest {

    /** One streaming pass over the train split reproduces stats_exact.json (float64) for every field and key. */
    @ParameterizedTest
    @ValueSource(strings = {"periodic2d", "walls2d", "tensor3d"})
    void matchesExactStatistics(String dataset) throws IOException {
        Path root = WellFixtures.dataset(dataset);
        long[] frames = new long[2];
        FieldStatistics stats = Stats.compute(WellPaths.resolve(root, "train"), (done, total) -> {
            frames[0] = done;
            frames[1] = total;
        });
        assertEquals(frames[1], frames[0], "progress reaches the total");
        JsonNode exact = new ObjectMapper().readTree(root.resolve("stats_exact.json").toFile());
        int compared = 0;
        for (String key : FieldStatistics.KEYS) {
            assertEquals(exact.get(key).size(), stats.toExactMap().get(key) instanceof java.util.Map<?, ?> m ? m.size() : -1,
                    key + " field count");
            var fields = exact.get(key).properties();
            for (var e : fields) {
                FieldStatistics.Entry entry = stats.get(e.getKey());
                double[] ours = pick(entry, key);
                List<Double> theirs = flatten(e.getValue());
                double[] scale = key.endsWith("delta") ? entry.rmsDelta() : entry.rms();
                assertEquals(theirs.size(), ours.length, key + " " + e.getKey());
                for (int i = 0; i < ours.length; i++) {
                    // relative to the component's rms: means that vanish by symmetry are ~1e-37 in float64 sums
                    double tol = 1e-9 * Math.max(scale[i], 1e-30) + 1e-12 * Math.abs(theirs.get(i));
                    assertTrue(Math.abs(ours[i] - theirs.get(i)) <= tol,
                            dataset + " " + key + " " + e.getKey() + "[" + i + "]: " + ours[i] + " vs " + theirs.get(i));
                    compared++;
                }
            }
        }
        assertTrue(compared >= 20, "compared " + compared);
    }

    /**
     * stats.yaml round-trips through our writer and reader and agrees with the fixture's 4-digit file (up to the
     * last printed digit; values that vanish by symmetry only up to float64 noise relative to the rms).
     */
    @Test
    void yamlRoundTripAndFixtureAgreement(@TempDir Path tmp) {
        Path root = WellFixtures.dataset("tensor3d");
        FieldStatistics computed = Stats.compute(WellPaths.resolve(root, "train"), null);
        Path out = tmp.resolve("stats.yaml");
        computed.writeYaml(out);
        FieldStatistics reread = FieldStatistics.read(out);
        FieldStatistics fixture = FieldStatistics.read(root.resolve("stats.yaml"));
        for (String field : List.of("density", "velocity", "D", "temperature_background")) {
            for (String key : FieldStatistics.KEYS) {
                double[] a = pick(reread.get(field), key);
                double[] b = pick(fixture.get(field), key);
                if (b == null) {
                    assertEquals(null, a, field + " " + key);
                    continue;
                }
                double[] scale = key.endsWith("delta") ? fixture.get(field).rmsDelta() : fixture.get(field).rms();
                assertEquals(b.length, a.length);
                for (int i = 0; i < a.length; i++) {
                    double tol = 6e-5 * Math.abs(b[i]) + 1e-9 * scale[i];
                    assertEquals(b[i], a[i], tol, field + " " + key + "[" + i + "]");
                }
            }
        }
        assertEquals(2, reread.get("D").rank());
        assertEquals(3, reread.get("D").dims());
        assertTrue(Files.exists(out));
    }

    private static double[] pick(FieldStatistics.Entry e, String key) {
        return switch (key) {
            case "mean" -> e.mean();
            case "std" -> e.std();
            case "rms" -> e.rms();
            case "mean_delta" -> e.meanDelta();
            case "std_delta" -> e.stdDelta();
            default -> e.rmsDelta();
        };
    }

    private static List<Double> flatten(JsonNode n) {
        List<Double> out = new ArrayList<>();
        if (n.isNumber()) out.add(n.asDouble());
        else n.forEach(c -> out.addAll(flatten(c)));
        return out;
    }
}
