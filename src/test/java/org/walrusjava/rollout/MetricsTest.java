package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final float[] TRUTH = {1, 2, 3, 4};
    private static final float[] PRED = {1, 2, 3, 6};

    @Test
    void errorsOnAFourCellFieldByHand() {
        // error = (0, 0, 0, 2)
        assertEquals(1.0, Metrics.mse(PRED, TRUTH), 1e-15);
        assertEquals(0.5, Metrics.mae(PRED, TRUTH), 1e-15);
        assertEquals(1.0, Metrics.rmse(PRED, TRUTH), 1e-15);
        assertEquals(2.0, Metrics.lInfinity(PRED, TRUTH), 1e-15);
        // mean(truth^2) = 30 / 4 = 7.5
        assertEquals(Math.sqrt(1 / (7.5 + 1e-7)), Metrics.nrmse(PRED, TRUTH), 1e-15);
        // sum of truth 10, of prediction 12
        assertEquals(0.2, Metrics.integralDrift(PRED, TRUTH), 1e-7);
    }

    @Test
    void vrmseUsesTheUnbiasedVariance() {
        // Centred truth (-1.5, -0.5, 0.5, 1.5): squares sum to 5, so var = 5/3 (N - 1), not 5/4 (N).
        double vrmse = Metrics.vrmse(PRED, TRUTH);
        assertEquals(Math.sqrt(1 / (5.0 / 3 + 1e-7)), vrmse, 1e-15);
        assertEquals(Math.sqrt(0.6), vrmse, 1e-7);
        assertTrue(Math.abs(vrmse - Math.sqrt(0.8)) > 0.1, "the biased variance would give sqrt(0.8)");
    }

    @Test
    void epsKeepsConstantTruthFinite() {
        float[] zero = new float[4];
        float[] small = {1e-4f, -1e-4f, 1e-4f, -1e-4f};
        double mse = 0;
        for (float v : small) mse += (double) v * v / 4;
        assertEquals(Math.sqrt(mse / 1e-7), Metrics.vrmse(small, zero), 1e-12);
        assertEquals(Math.sqrt(0.1), Metrics.vrmse(small, zero), 1e-6);
        assertEquals(Math.sqrt(mse / 1e-7), Metrics.nrmse(small, zero), 1e-12);
    }

    @Test
    void pearsonFollowsUpstreamMixedNormalisation() {
        // prediction - mean = (-2, -1, 0, 3), truth - mean = (-1.5, -0.5, 0.5, 1.5): cross sum 8, covariance 8/4;
        // unbiased variances 14/3 and 5/3.
        double expected = 2 / (Math.sqrt(14.0 / 3) * Math.sqrt(5.0 / 3) + 1e-7);
        assertEquals(expected, Metrics.pearsonR(PRED, TRUTH), 1e-14);
        assertEquals(6 / Math.sqrt(70), Metrics.pearsonR(PRED, TRUTH), 1e-7);
        // A perfect prediction scores (N - 1) / N = 0.75 here, as upstream's formula gives.
        assertEquals(0.75, Metrics.pearsonR(TRUTH, TRUTH), 1e-7);
    }

    @Test
    void scoreBundlesTheSameNumbers() {
        FieldScores s = Metrics.score(PRED, TRUTH, new int[] {2, 2});
        assertEquals(Metrics.mse(PRED, TRUTH), s.get(Metric.MSE));
        assertEquals(Metrics.vrmse(PRED, TRUTH), s.get(Metric.VRMSE));
        assertEquals(Metrics.pearsonR(PRED, TRUTH), s.get(Metric.PEARSON_R));
        assertEquals(Metrics.integralDrift(PRED, TRUTH), s.get(Metric.INTEGRAL_DRIFT));
        double spectralSum = 0;
        for (int b = 0; b < Spectral.BINS; b++) spectralSum += s.get(Metric.spectralMse(b));
        assertEquals(1.0, spectralSum, 1e-12, "Plancherel: the bins add up to the MSE");
    }

    @Test
    void notFiniteValuesPropagate() {
        float[] pred = {1, Float.NaN, 3, 4};
        assertTrue(Double.isNaN(Metrics.vrmse(pred, TRUTH)));
        assertTrue(Double.isNaN(Metrics.lInfinity(pred, TRUTH)));
    }
}
