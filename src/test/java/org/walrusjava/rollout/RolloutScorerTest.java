package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutScorerTest {
    private final FieldLayout layout = Synthetic.layout2d(16);

    /** VRMSE written out from its definition, independent of Metrics. */
    private static double vrmseByHand(float[] pred, float[] truth) {
        int n = truth.length;
        double mean = 0;
        for (float v : truth) mean += v;
        mean /= n;
        double var = 0;
        double mse = 0;
        for (int i = 0; i < n; i++) {
            var += (truth[i] - mean) * (truth[i] - mean);
            double d = (double) pred[i] - truth[i];
            mse += d * d;
        }
        return Math.sqrt((mse / n) / (var / (n - 1) + 1e-7));
    }

    @Test
    void stepMetricsAreSampleMeansAndPaddedChannelsAreLeftOut() {
        RolloutScorer scorer = new RolloutScorer(layout, 3);
        for (int t = 0; t < 3; t++) {
            for (int sample = 0; sample < 2; sample++) {
                float[][] pred = Synthetic.prediction(layout, t, 0.05 * (sample + 1), 10 * t + sample);
                pred[3] = new float[] {Float.NaN}; // padded: wrong size and NaN, must not matter
                scorer.score(t, pred, Synthetic.truth(layout, t));
            }
        }
        MetricsResults r = scorer.results();
        assertEquals(List.of("density", "velocity_x", "velocity_y"), r.fields());
        assertEquals(3, r.steps());
        for (int t = 0; t < 3; t++) {
            float[][] truth = Synthetic.truth(layout, t);
            for (int c = 0; c < 3; c++) {
                double a = vrmseByHand(Synthetic.prediction(layout, t, 0.05, 10 * t)[c], truth[c]);
                double b = vrmseByHand(Synthetic.prediction(layout, t, 0.10, 10 * t + 1)[c], truth[c]);
                assertEquals((a + b) / 2, r.model().curve(Metric.VRMSE, r.fields().get(c))[t], 1e-9);
            }
        }
        double[] full = r.model().full(Metric.VRMSE);
        for (int t = 0; t < 3; t++) {
            double mean = 0;
            for (String f : r.fields()) mean += r.model().curve(Metric.VRMSE, f)[t] / 3;
            assertEquals(mean, full[t], 1e-15);
        }
    }

    @Test
    void persistenceBaselineMatchesAnIndependentComputation() {
        int steps = 6;
        RolloutScorer scorer = new RolloutScorer(layout, steps);
        float[][] lastInput = Synthetic.truth(layout, -1);
        for (int t = 0; t < steps; t++) {
            float[][] truth = Synthetic.truth(layout, t);
            scorer.score(t, Synthetic.prediction(layout, t, 0.01, t), truth);
            scorer.scorePersistence(t, lastInput, truth);
        }
        MetricTable persistence = scorer.results().persistence().orElseThrow();
        for (int t = 0; t < steps; t++) {
            float[][] truth = Synthetic.truth(layout, t);
            for (int c = 0; c < 3; c++) {
                double expected = vrmseByHand(lastInput[c], truth[c]);
                assertEquals(expected, persistence.curve(Metric.VRMSE, layout.channels().get(c))[t], 1e-12);
            }
        }
        // The waves move away from the copied frame, so the baseline gets worse with time.
        double[] vrmse = persistence.full(Metric.VRMSE);
        assertTrue(vrmse[5] > vrmse[0] * 2, "persistence error grows: " + vrmse[0] + " -> " + vrmse[5]);
    }

    @Test
    void identicalMembersHaveNoSpreadAndDifferentOnesDo() {
        int steps = 4;
        RolloutScorer same = new RolloutScorer(layout, steps);
        RolloutScorer different = new RolloutScorer(layout, steps);
        for (int t = 0; t < steps; t++) {
            float[][] truth = Synthetic.truth(layout, t);
            float[][] member = Synthetic.prediction(layout, t, 0.02, 5);
            EnsembleStats.Frame frame = same.scoreEnsemble(t, new float[][][] {member, member, member}, truth);
            for (int c : layout.realChannels()) {
                for (float s : frame.spread()[c]) assertEquals(0f, s);
                assertArrayEquals(member[c], frame.mean()[c]);
            }
            different.scoreEnsemble(t, new float[][][] {
                Synthetic.prediction(layout, t, 0.02, 5), Synthetic.prediction(layout, t, 0.02, 6),
                Synthetic.prediction(layout, t, 0.02, 7)}, truth);
        }
        EnsembleSummary zero = same.results().ensemble().orElseThrow();
        assertEquals(3, zero.members());
        for (String column : zero.columns()) {
            assertArrayEquals(new double[steps], zero.spread().get(column));
            assertArrayEquals(zero.memberVrmseMin().get(column), zero.memberVrmseMax().get(column));
        }
        EnsembleSummary spread = different.results().ensemble().orElseThrow();
        for (String column : spread.columns()) {
            for (int t = 0; t < steps; t++) {
                assertTrue(spread.spread().get(column)[t] > 0, column + " step " + t);
                assertTrue(spread.memberVrmseMax().get(column)[t] > spread.memberVrmseMin().get(column)[t]);
            }
        }
    }

    @Test
    void spreadIsTheRootMeanMemberVarianceAndTracksTheError() {
        // Two members truth +/- d: mean = truth (error 0 would make correlation undefined), so shift both by e.
        int steps = 5;
        FieldLayout one = FieldLayout.allReal(List.of("u"), new int[] {8, 8});
        RolloutScorer scorer = new RolloutScorer(one, steps);
        for (int t = 0; t < steps; t++) {
            float[][] truth = {new float[64]};
            for (int i = 0; i < 64; i++) truth[0][i] = (float) Math.sin(i * 0.7);
            float d = 0.1f * (t + 1);
            float e = 0.05f * (t + 1);
            float[][] a = {new float[64]};
            float[][] b = {new float[64]};
            for (int i = 0; i < 64; i++) {
                a[0][i] = truth[0][i] + e + d;
                b[0][i] = truth[0][i] + e - d;
            }
            scorer.scoreEnsemble(t, new float[][][] {a, b}, truth);
        }
        EnsembleSummary s = scorer.results().ensemble().orElseThrow();
        for (int t = 0; t < steps; t++) {
            // unbiased variance of {+d, -d} is 2 d^2, so the spread is sqrt(2) d
            assertEquals(Math.sqrt(2) * 0.1 * (t + 1), s.spread().get("u")[t], 1e-6);
            assertEquals(0.05 * (t + 1), scorer.results().model().curve(Metric.RMSE, "u")[t], 1e-6);
        }
        assertEquals(1.0, s.spreadErrorCorrelation().get("u"), 1e-6);
    }

    @Test
    void aRolloutStoppedEarlyKeepsTheStepsItScored() {
        RolloutScorer scorer = new RolloutScorer(layout, 10);
        for (int t = 0; t < 3; t++) scorer.score(t, Synthetic.prediction(layout, t, 0.01, t), Synthetic.truth(layout, t));
        MetricsResults r = scorer.results();
        assertEquals(3, r.steps());
        assertEquals(3, r.model().curve(Metric.MSE, "density").length);
        assertTrue(r.persistence().isEmpty());
    }

    @Test
    void misuseIsRefused() {
        RolloutScorer scorer = new RolloutScorer(layout, 2);
        float[][] truth = Synthetic.truth(layout, 0);
        assertThrows(IllegalArgumentException.class, () -> scorer.score(2, truth, truth));
        assertThrows(IllegalArgumentException.class, () -> scorer.score(0, new float[2][], truth));
        scorer.score(0, truth, truth);
        assertThrows(IllegalStateException.class, () -> scorer.scoreEnsemble(1, new float[][][] {truth, truth}, truth));
        assertThrows(IllegalStateException.class, () -> new RolloutScorer(layout, 2).results());
    }
}
