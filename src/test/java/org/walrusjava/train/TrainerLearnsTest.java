package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.ExperimentConfig;

/**
 * "It learns": the tiny config trained from scratch for 60 steps (about a minute on one core) on advected
 * patterns must beat the persistence baseline on held-out trajectories by a clear margin (it reaches about two
 * thirds of the persistence VRMSE of 0.79).
 */
class TrainerLearnsTest {
    @TempDir
    Path tmp;

    @Test
    void tinyModelBeatsPersistenceOnValidation() throws Exception {
        Path data = AdvectionData.write(tmp.resolve("advection"), "tracer", 8, 2, 16);
        var b = TrainingOptions.fromConfig(ExperimentConfig.load(TrainerResumeTest.CONFIG)).toBuilder();
        b.steps = 60;
        b.batchSize = 2;
        b.gradAccSteps = 1;
        b.nInput = 4;
        b.minStride = 1;
        b.maxStride = 1;
        b.schedule = TrainingOptions.Schedule.perStep(b.steps);
        b.optimizer = b.optimizer.withLr(1e-3);
        b.seed = 1;
        b.saveEvery = 1000;
        b.validateEvery = 60;
        b.validationTrajectories = 2;
        b.validationSteps = 5;
        RunSpec spec = new RunSpec(TrainerResumeTest.CONFIG, List.of(), List.of(data), null, false, "cpu", b.build());
        Trainer.Result r;
        try (TrainingSession s = TrainingSession.start(spec, tmp.resolve("run"), null)) {
            r = s.trainer().train(b.steps);
        }
        double model = r.lastValidation().score(), persistence = r.lastValidation().persistenceScore();
        System.out.printf("after 60 steps: validation VRMSE %.4f, persistence %.4f%n", model, persistence);
        assertTrue(model < 0.85 * persistence, "VRMSE " + model + " vs persistence " + persistence);

        List<JsonNode> log = TrainerResumeTest.log(tmp.resolve("run"));
        double first = 0, last = 0;
        for (int i = 0; i < 10; i++) {
            first += log.get(i).get("loss").asDouble() / 10;
            last += log.get(59 - i).get("loss").asDouble() / 10;
        }
        assertTrue(last < 0.8 * first, "training loss " + first + " -> " + last);
        JsonNode validation = log.get(log.size() - 1);
        assertEquals(60, validation.get("step").asLong());
        assertEquals(model, validation.get("score").asDouble(), 1e-12);
        assertTrue(validation.get("validation").get("advection").get("vrmse").has("tracer"));
        assertEquals(tmp.resolve("run/checkpoints/step-0000060"), r.checkpoint());
    }
}
