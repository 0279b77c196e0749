package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.ExperimentConfig;

/** A diverging run stops with a clear message and keeps its last good checkpoint. */
class TrainerDivergenceTest {
    @TempDir
    Path tmp;

    @Test
    void nonFiniteLossStopsTheRunAndKeepsTheLastCheckpoint() {
        Path data = AdvectionData.write(tmp.resolve("advection"), "tracer", 2, 1, 8);
        var b = TrainingOptions.fromConfig(ExperimentConfig.load(TrainerResumeTest.CONFIG)).toBuilder();
        b.steps = 5;
        b.batchSize = 1;
        b.gradAccSteps = 1;
        b.nInput = 3;
        b.schedule = TrainingOptions.Schedule.constant();
        b.optimizer = b.optimizer.withLr(1e30); // the first update throws the weights to ~1e30: float overflow next
        b.saveEvery = 1;
        b.validateEvery = 0;
        RunSpec spec = new RunSpec(TrainerResumeTest.CONFIG, List.of(), List.of(data), null, false, "cpu", b.build());
        Path run = tmp.resolve("run");
        try (TrainingSession s = TrainingSession.start(spec, run, null)) {
            Trainer.DivergedException e = assertThrows(Trainer.DivergedException.class, () -> s.trainer().train(5));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
            long applied = s.trainer().step();
            assertTrue(applied >= 1 && applied < 5);
            Path last = run.resolve("checkpoints").resolve(TrainingCheckpoint.name(applied));
            assertTrue(e.getMessage().contains(last + " (after step " + applied + ")"), e.getMessage());
            assertEquals(last, TrainingCheckpoint.resolve(run.resolve("checkpoints"), TrainingCheckpoint.LATEST).orElseThrow());
            assertFalse(Files.exists(run.resolve("checkpoints").resolve(TrainingCheckpoint.name(applied + 1))));
        }
    }
}
