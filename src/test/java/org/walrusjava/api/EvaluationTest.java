package org.walrusjava.api;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.rollout.Metric;

class EvaluationTest {
    @TempDir
    Path dir;

    @Test
    void oneStepWindowsAndRolloutsAreScoredNextToPersistence() throws Exception {
        Walrus walrus = Walrus.load(CHECKPOINT, config(dir));
        Path out = dir.resolve("eval");
        // The validation file: 2 trajectories of 12 steps, 6 one-step windows each (history 6, stride 1).
        Evaluation.Request r = new Evaluation.Request(PERIODIC, "valid", OptionalInt.empty(), OptionalInt.of(2),
                OptionalInt.of(2), OptionalInt.of(1), Jitter.off(), Optional.empty());
        List<long[]> progress = new ArrayList<>();
        Evaluation.Result result = Evaluation.run(walrus, r, out, (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(2, result.windows());
        assertEquals(12, result.availableWindows());
        assertArrayEquals(new long[] {4, 4}, progress.getLast(), "2 one-step windows + 2 rollout steps");

        long[] chosen = Evaluation.choose(12, OptionalInt.of(2), 0);
        assertEquals(2, chosen.length);
        String[][] fields = {{"density", "density", "0"}, {"pressure", "pressure", "0"},
                {"velocity_x", "velocity", "0"}, {"velocity_y", "velocity", "1"}};
        JsonNode oneStep = new ObjectMapper().readTree(out.resolve(Evaluation.ONE_STEP_JSON).toFile());
        assertEquals(2, oneStep.get("samples").asInt(), "windows averaged");
        assertEquals(1, oneStep.get("steps").asInt());
        for (String[] f : fields) {
            double expected = 0;
            for (long window : chosen) {
                int trajectory = (int) window / 6, start = (int) window % 6;
                int component = Integer.parseInt(f[2]);
                expected += vrmse(storedChannel(PERIODIC_VALID_FILE, trajectory, start + 5, f[1], component),
                        storedChannel(PERIODIC_VALID_FILE, trajectory, start + 6, f[1], component)) / chosen.length;
            }
            double persistence = result.oneStep().persistence().orElseThrow().curve(Metric.VRMSE, f[0])[0];
            assertEquals(expected, persistence, 1e-9, f[0]);
            assertEquals(expected, oneStep.get("persistence").get("per_step").get("VRMSE").get(f[0]).get(0).asDouble(),
                    1e-9);
            double model = result.oneStep().model().curve(Metric.VRMSE, f[0])[0];
            assertTrue(Double.isFinite(model) && model > 0, f[0] + " " + model);
        }

        assertEquals(2, result.rollout().orElseThrow().steps());
        assertEquals(1, result.trajectories());
        assertEquals(2, new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("steps").asInt());
        String table = result.table();
        assertEquals(table, Files.readString(out.resolve(Evaluation.SUMMARY)));
        assertTrue(table.startsWith("periodic2d (split valid): one-step VRMSE over 2 of 12 windows, 6 input frames\n"
                + "field       Walrus"), table);
        assertTrue(table.contains("\nrollout VRMSE from step 0 of 1 trajectories, by window of steps (persistence in"
                + " brackets)\nsteps  density"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("full ")), table);
        assertTrue(Files.readString(out.resolve("index.html")).contains("href=\"one_step.json\""));
    }

    @Test
    void aSampleOfWindowsIsSeededAndInIndexOrder() {
        long[] a = Evaluation.choose(100, OptionalInt.of(5), 1);
        assertArrayEquals(a, Evaluation.choose(100, OptionalInt.of(5), 1));
        assertEquals(5, java.util.Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) assertTrue(a[i - 1] < a[i]);
        assertArrayEquals(new long[] {0, 1, 2}, Evaluation.choose(3, OptionalInt.empty(), 1), "all by default");
        assertArrayEquals(new long[] {0, 1, 2}, Evaluation.choose(3, OptionalInt.of(10), 1), "at most all");
    }
}
