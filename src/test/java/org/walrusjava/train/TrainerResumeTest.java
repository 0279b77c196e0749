package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;

/** A run stopped after 2 of 4 steps and resumed must end with exactly the weights of an uninterrupted run. */
class TrainerResumeTest {
    static final Path CONFIG = TestTensors.FIXTURES.resolve("extended_config.yaml");
    static final List<String> OVERRIDES = List.of("model.drop_path=0.2");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() {
        data = AdvectionData.write(tmp.resolve("advection"), "tracer", 3, 1, 10);
    }

    static TrainingOptions options() {
        var b = TrainingOptions.fromConfig(ExperimentConfig.load(CONFIG, OVERRIDES)).toBuilder();
        b.steps = 4;
        b.batchSize = 2;
        b.gradAccSteps = 2;
        b.nInput = 4;
        b.minStride = 1;
        b.maxStride = 2;
        b.schedule = TrainingOptions.Schedule.perStep(4);
        b.optimizer = b.optimizer.withLr(1e-3);
        b.seed = 3;
        b.saveEvery = 100;
        b.validateEvery = 0;
        return b.build();
    }

    static RunSpec spec() {
        return new RunSpec(CONFIG, OVERRIDES, List.of(data), null, false, "cpu", options());
    }

    static List<JsonNode> log(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("log.jsonl"))) out.add(new ObjectMapper().readTree(line));
        return out;
    }

    @Test
    void stopAndResumeGivesBitIdenticalWeights() throws Exception {
        Path straight = tmp.resolve("straight"), interrupted = tmp.resolve("interrupted");
        try (TrainingSession s = TrainingSession.start(spec(), straight, null)) {
            s.trainer().train(4);
        }
        try (TrainingSession s = TrainingSession.start(spec(), interrupted, null)) {
            s.trainer().train(2);
        }
        try (TrainingSession s = TrainingSession.resume(interrupted, null)) {
            assertEquals(2, s.trainer().step());
            s.trainer().train(4);
        }
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("checkpoints/step-0000004/model.safetensors"));
        Map<String, Tensor> b = SafeTensors.read(interrupted.resolve("checkpoints/step-0000004/model.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        Map<String, Tensor> start = TestTensors.read(interrupted.resolve("checkpoints/step-0000002/model.safetensors"));
        double moved = 0;
        for (String k : a.keySet()) {
            assertEquals(0.0, TestTensors.maxAbsDiff(a.get(k), b.get(k)), k);
            moved = Math.max(moved, TestTensors.maxAbsDiff(a.get(k), start.get(k)));
        }
        assertTrue(moved > 1e-4, "steps 3-4 changed the weights");

        List<JsonNode> la = log(straight), lb = log(interrupted);
        assertEquals(4, la.size());
        assertEquals(4, lb.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, la.get(i).get("step").asLong());
            assertEquals(la.get(i).get("loss").asDouble(), lb.get(i).get("loss").asDouble(), 0.0);
            assertEquals(la.get(i).get("lr").asDouble(), lb.get(i).get("lr").asDouble(), 0.0);
            assertTrue(Double.isFinite(la.get(i).get("loss").asDouble()));
        }
        // per-step schedule over 4 steps: warmup 1 from 0.1 * lr, then inverse-sqrt decay and cooldown
        assertEquals(1e-4, la.get(0).get("lr").asDouble(), 1e-12);
        assertEquals(1e-3, la.get(1).get("lr").asDouble(), 1e-12);
    }
}
