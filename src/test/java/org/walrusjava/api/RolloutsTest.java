package org.walrusjava.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.rollout.ProgressListener;
import org.walrusjava.rollout.RolloutRunner;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

class RolloutsTest {
    @TempDir
    Path dir;

    @Test
    void aPredictionThatTurnsNonFiniteMidRolloutStopsTheRolloutAndKeepsTheStepsBefore() throws Exception {
        WalrusModel model = TinyFixtures.model();
        // A decoder bias of 1e30 makes every increment huge: the first predicted frame is still finite (about 1e28
        // times the increment RMS), the second overflows float32.
        model.slots().get("debed.2.proj2.bias").set(Tensor.full(1e30f, DType.FLOAT32, Device.CPU, 67));
        Walrus walrus = Walrus.of(ExperimentConfig.load(RolloutFixtures.TINY_CONFIG), model);
        CaseSpec c = TinyFixtures.caseSpec("a");
        Tensor raw = TinyFixtures.tensors("case_a.safetensors").get("raw_input");

        Rollouts.Summary s = Rollouts.fromInput(walrus, raw, c, Rollouts.Settings.single(OptionalInt.of(4), Jitter.off()),
                dir, ProgressListener.NONE);
        assertEquals(4, s.plannedSteps());
        assertEquals(1, s.steps());
        RolloutRunner.Stop stop = s.stop().orElseThrow();
        assertEquals("stopped at step 2: the prediction has NaN or Inf values", stop.message());

        Path file = dir.resolve(Rollouts.TENSOR_FILE);
        Tensor kept = SafeTensors.read(file).get("rollout_pred");
        assertArrayEquals(new long[] {1, 1, 5, 32, 32, 1}, kept.shape());
        assertTrue(kept.allFinite());
        assertTrue(kept.abs().max().item() > 1e20, "the kept step is the huge but finite one");
        assertEquals(stop.message(), SafeTensors.metadata(file).get("stopped"));
        var run = new ObjectMapper().readTree(dir.resolve(Rollouts.RUN_FILE).toFile());
        assertEquals(2, run.get("stopped").get("step").asInt());
        assertEquals(1, run.get("steps").asInt());
    }
}
