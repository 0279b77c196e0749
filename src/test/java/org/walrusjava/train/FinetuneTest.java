package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;

/** Fine-tuning the tiny fixture checkpoint on a dataset whose field the model has never seen, end to end. */
class FinetuneTest {
    @TempDir
    Path tmp;

    @Test
    void newFieldExtendsVocabularyAndTrains() throws Exception {
        Path data = AdvectionData.write(tmp.resolve("dye"), "dye_concentration", 2, 1, 10);
        var b = TrainingOptions.fromConfig(ExperimentConfig.load(TrainerResumeTest.CONFIG)).toBuilder();
        b.steps = 2;
        b.batchSize = 1;
        b.gradAccSteps = 1;
        b.nInput = 3;
        b.schedule = TrainingOptions.Schedule.perStep(2);
        b.validateEvery = 0;
        b.freeze = "blocks.0";
        RunSpec spec = new RunSpec(TrainerResumeTest.CONFIG, List.of(), List.of(data), TestTensors.TINY_WEIGHTS, false,
                "cpu", b.build());
        Path run = tmp.resolve("run");
        try (TrainingSession s = TrainingSession.start(spec, run, null)) {
            s.trainer().train(2);
            s.trainer().writeFinalWeights();
        }
        Map<String, Tensor> before = TestTensors.read(TestTensors.TINY_WEIGHTS);
        Map<String, Tensor> after = SafeTensors.read(run.resolve("final.safetensors"));
        assertArrayEquals(new long[] {16, 68, 8, 8, 8}, after.get("embed.2.proj1.weight").shape());
        assertArrayEquals(new long[] {68}, after.get("debed.2.proj2.bias").shape());
        // frozen block untouched, trained parts moved
        for (String k : before.keySet()) {
            if (k.startsWith("blocks.0.")) assertEquals(0.0, TestTensors.maxAbsDiff(before.get(k), after.get(k)), k);
        }
        assertTrue(TestTensors.maxAbsDiff(before.get("blocks.1.space_mixing.ff_out.weight"),
                after.get("blocks.1.space_mixing.ff_out.weight")) > 0);
        // the new field's encoder column (index 67) was trained from its fresh initialisation
        Tensor column = after.get("embed.2.proj1.weight").narrow(1, 67, 1);
        assertTrue(TestTensors.maxAbs(column) > 0);
        TrainingCheckpoint.Loaded c = TrainingCheckpoint.read(run.resolve("checkpoints/step-0000002"));
        assertEquals("dye_concentration", c.state().vocabulary().get(67));
        assertEquals(68, c.state().vocabulary().size());
    }
}
