package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.walrusjava.api.CaseSpec;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.tensor.Tensor;

class RolloutRunnerTest {
    private static Rollout.Window caseA() {
        CaseSpec c = TinyFixtures.caseSpec("a");
        return new Rollout.Window(TinyFixtures.tensors("case_a.safetensors").get("raw_input"), c.fieldIndices(),
                c.bcs(), c.variableChannels(), c.paddedFieldMask(), null);
    }

    @Test
    void membersWithIdenticalSeedsAgreeExactlySoTheirSpreadIsZero() {
        List<long[]> progress = new ArrayList<>();
        RolloutRunner.Plan plan = new RolloutRunner.Plan(1, 2, k -> Rolls.seeded(11), 0, 0, 1e3);
        RolloutRunner.Outcome o = RolloutRunner.run(new Predictor(TinyFixtures.model()), caseA(), plan, null,
                (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(1, o.steps());
        assertTrue(o.stop().isEmpty());
        float[][] first = o.perStep(0).get(0)[0];
        float[][] second = o.perStep(0).get(1)[0];
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(first[c], second[c], "channel " + c);
            assertEquals(0.0, EnsembleStats.spreadScalar(new float[][] {first[c], second[c]}));
        }
        assertArrayEquals(new long[] {1, 2}, progress.get(0));
        assertArrayEquals(new long[] {2, 2}, progress.getLast());
    }

    @Test
    void perturbationIsRelativeNoiseOnRealVariableChannelsOnly() {
        Rollout.Window w = caseA();
        Rollout.Window noisy = RolloutRunner.perturbed(w, 0.01, 7);
        int cells = 32 * 32, frames = 6;
        float[] before = w.raw().toFloatArray();
        float[] after = noisy.raw().toFloatArray();
        for (int c = 0; c < 6; c++) {
            double signal = 0, noise = 0;
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < cells; p++) {
                    int i = (t * 6 + c) * cells + p;
                    signal += before[i] * (double) before[i];
                    noise += (after[i] - before[i]) * (double) (after[i] - before[i]);
                }
            }
            if (c < 4) {
                assertEquals(0.01, Math.sqrt(noise / signal), 0.001, "noise RMS relative to channel " + c);
            } else {
                assertEquals(0.0, noise, "channel " + c + " (padded velocity_z, constant speed_of_sound) untouched");
            }
        }
        assertArrayEquals(after, RolloutRunner.perturbed(w, 0.01, 7).raw().toFloatArray(), "seeded");
        Tensor other = RolloutRunner.perturbed(w, 0.01, 8).raw();
        assertFalse(java.util.Arrays.equals(after, other.toFloatArray()), "another seed, other noise");
    }
}
