package org.walrusjava.rollout;

/**
 * The Well's per-field metrics (the-well.md §1.5, `the_well/benchmark/metrics/spatial.py`) on one field of one
 * sample: pred and truth are the field's values on the grid, row-major, one float per cell. eps = 1e-7 everywhere
 * and variances and standard deviations are unbiased (N - 1), as torch.std computes them upstream.
 */
public final class Metrics {
    public static final double EPS = 1e-7;

    private Metrics() {}

    public static double mse(float[] pred, float[] truth) {
        return Moments.of(pred, truth).mse();
    }

    public static double mae(float[] pred, float[] truth) {
        return Moments.of(pred, truth).mae();
    }

    public static double rmse(float[] pred, float[] truth) {
        return Math.sqrt(mse(pred, truth));
    }

    /** sqrt(MSE / (mean(truth^2) + eps)). */
    public static double nrmse(float[] pred, float[] truth) {
        return Moments.of(pred, truth).nrmse();
    }

    /** sqrt(MSE / (var(truth) + eps)) with the unbiased variance: predicting the mean scores about 1. */
    public static double vrmse(float[] pred, float[] truth) {
        return Moments.of(pred, truth).vrmse();
    }

    public static double lInfinity(float[] pred, float[] truth) {
        return Moments.of(pred, truth).maxAbsError();
    }

    /**
     * Upstream's PearsonR: the covariance divided by N but the standard deviations by N - 1, plus eps, so a
     * prediction equal to the truth scores (N - 1) / N rather than 1. Kept as is so numbers match The Well's.
     */
    public static double pearsonR(float[] pred, float[] truth) {
        return Moments.of(pred, truth).pearsonR();
    }

    /** (sum pred - sum truth) / sum |truth|: for a positive quantity, the relative drift of its domain integral. */
    public static double integralDrift(float[] pred, float[] truth) {
        return Moments.of(pred, truth).integralDrift();
    }

    /** Every metric, the spectral ones on the given grid. */
    public static FieldScores score(float[] pred, float[] truth, Spectral grid) {
        Moments m = Moments.of(pred, truth);
        Spectral.BinnedError spectral = grid.binnedError(pred, truth);
        double[] v = new double[Metric.values().length];
        v[Metric.MSE.ordinal()] = m.mse();
        v[Metric.MAE.ordinal()] = m.mae();
        v[Metric.RMSE.ordinal()] = Math.sqrt(m.mse());
        v[Metric.NRMSE.ordinal()] = m.nrmse();
        v[Metric.VRMSE.ordinal()] = m.vrmse();
        v[Metric.L_INFINITY.ordinal()] = m.maxAbsError();
        v[Metric.PEARSON_R.ordinal()] = m.pearsonR();
        for (int b = 0; b < Spectral.BINS; b++) {
            v[Metric.spectralMse(b).ordinal()] = spectral.mse()[b];
            v[Metric.spectralNmse(b).ordinal()] = spectral.nmse()[b];
        }
        v[Metric.INTEGRAL_DRIFT.ordinal()] = m.integralDrift();
        return new FieldScores(v);
    }

    public static FieldScores score(float[] pred, float[] truth, int[] shape) {
        return score(pred, truth, new Spectral(shape));
    }

    /** Sums over the cells that every metric is built from (two passes: means first, then centred sums). */
    private record Moments(int n, double sumSqError, double sumAbsError, double maxAbsError, double sumSqTruth,
                           double centredSqTruth, double centredSqPred, double centredCross, double sumPred,
                           double sumTruth, double sumAbsTruth) {

        static Moments of(float[] pred, float[] truth) {
            if (pred.length != truth.length || pred.length == 0) {
                throw new IllegalArgumentException("prediction has " + pred.length + " values, truth " + truth.length);
            }
            int n = pred.length;
            double sumPred = 0;
            double sumTruth = 0;
            for (int i = 0; i < n; i++) {
                sumPred += pred[i];
                sumTruth += truth[i];
            }
            double meanPred = sumPred / n;
            double meanTruth = sumTruth / n;
            double sq = 0, abs = 0, max = 0, truthSq = 0, cTruth = 0, cPred = 0, cross = 0, absTruth = 0;
            for (int i = 0; i < n; i++) {
                double p = pred[i];
                double t = truth[i];
                double d = p - t;
                sq += d * d;
                abs += Math.abs(d);
                max = Math.max(max, Math.abs(d));
                truthSq += t * t;
                absTruth += Math.abs(t);
                cTruth += (t - meanTruth) * (t - meanTruth);
                cPred += (p - meanPred) * (p - meanPred);
                cross += (p - meanPred) * (t - meanTruth);
            }
            return new Moments(n, sq, abs, max, truthSq, cTruth, cPred, cross, sumPred, sumTruth, absTruth);
        }

        double mse() {
            return sumSqError / n;
        }

        double mae() {
            return sumAbsError / n;
        }

        double nrmse() {
            return Math.sqrt(mse() / (sumSqTruth / n + EPS));
        }

        double vrmse() {
            return Math.sqrt(mse() / (centredSqTruth / (n - 1) + EPS));
        }

        double pearsonR() {
            double stdPred = Math.sqrt(centredSqPred / (n - 1));
            double stdTruth = Math.sqrt(centredSqTruth / (n - 1));
            return (centredCross / n) / (stdPred * stdTruth + EPS);
        }

        double integralDrift() {
            return (sumPred - sumTruth) / (sumAbsTruth + EPS);
        }
    }
}
