package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;

/** trainer.sampling_group: consecutive micro-batches share one drawn dataset, as upstream's sampling groups. */
class TrainerSamplingGroupTest {
    @TempDir
    Path tmp;

    @Test
    void pairsOfMicroBatchesTrainOnOneDataset() throws Exception {
        Path a = AdvectionData.write(tmp.resolve("a"), "advection_a", "tracer", 2, 1, 10);
        Path b = AdvectionData.write(tmp.resolve("b"), "advection_b", "tracer", 2, 1, 10);
        var o = TrainerResumeTest.options().toBuilder();
        o.steps = 3;
        o.batchSize = 1;
        o.gradAccSteps = 4;
        o.samplingGroup = 2;
        RunSpec spec = new RunSpec(TrainerResumeTest.CONFIG, List.of(), List.of(a, b), null, false, "cpu", o.build());
        Path run = tmp.resolve("run");
        try (TrainingSession s = TrainingSession.start(spec, run, null)) {
            s.trainer().train(3);
        }
        Set<String> seen = new HashSet<>();
        List<JsonNode> log = TrainerResumeTest.log(run);
        assertEquals(3, log.size());
        for (JsonNode step : log) {
            JsonNode d = step.get("datasets");
            assertEquals(4, d.size());
            assertEquals(d.get(0).asText(), d.get(1).asText(), step.toString());
            assertEquals(d.get(2).asText(), d.get(3).asText(), step.toString());
            d.forEach(n -> seen.add(n.asText()));
        }
        assertEquals(Set.of("advection_a", "advection_b"), seen, "6 group draws of 2 datasets (seed 3) hit both");

        o.samplingGroup = 3;
        RunSpec odd = new RunSpec(TrainerResumeTest.CONFIG, List.of(), List.of(a, b), null, false, "cpu", o.build());
        assertEquals("trainer.sampling_group is 3; it must divide trainer.grad_acc_steps (4) so that no group spans "
                + "two optimizer steps", assertThrows(UserError.class,
                        () -> TrainingSession.start(odd, tmp.resolve("odd"), null)).getMessage());
    }
}
