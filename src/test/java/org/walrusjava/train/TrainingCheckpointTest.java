package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.tensor.Tensor;

class TrainingCheckpointTest {
    @TempDir
    Path root;

    static TrainingCheckpoint.State state(long step, double best) {
        return new TrainingCheckpoint.State(step, new DatasetSampler.State(new long[] {1, 0}, new long[] {4, 2}), best, 3,
                List.of("closed_boundary", "open_boundary", "bias_correction", "tracer"));
    }

    @Test
    void roundTripPointersAndPruning() throws Exception {
        for (long step = 1; step <= 4; step++) {
            Path p = TrainingCheckpoint.write(root, Map.of("w", Tensor.of(new float[] {step}, 1)),
                    Map.of("w.step", Tensor.ofLongs(new long[] {step}, 1)), state(step, step == 1 ? Double.NaN : 0.5));
            if (step == 2) TrainingCheckpoint.point(root, TrainingCheckpoint.BEST, p);
            TrainingCheckpoint.point(root, TrainingCheckpoint.LATEST, p);
            TrainingCheckpoint.prune(root, 1);
        }
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of("best", "latest", "step-0000002", "step-0000004"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no partial folders, best kept");
        }
        TrainingCheckpoint.Loaded latest = TrainingCheckpoint.read(
                TrainingCheckpoint.resolve(root, TrainingCheckpoint.LATEST).orElseThrow());
        assertEquals(4, latest.state().step());
        assertArrayEquals(new long[] {4, 2}, latest.state().sampler().cursors());
        assertEquals(4f, latest.model().get("w").toFloatArray()[0]);
        assertEquals(2, TrainingCheckpoint.read(root.resolve("step-0000002")).state().step());
        assertTrue(TrainingCheckpoint.resolve(root.resolve("nothing"), TrainingCheckpoint.LATEST).isEmpty());
    }

    @Test
    void nanBestScoreSurvivesJson() {
        Path p = TrainingCheckpoint.write(root, Map.of("w", Tensor.zeros(1)), Map.of(), state(1, Double.NaN));
        assertTrue(Double.isNaN(TrainingCheckpoint.read(p).state().bestValidation()));
    }
}
