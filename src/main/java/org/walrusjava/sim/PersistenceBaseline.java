package org.walrusjava.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How hard a trajectory is to predict one frame ahead: the VRMSE of the persistence forecast u_{t+1} ~ u_t, with
 * The Well's definition VRMSE = sqrt(MSE / (var(truth) + 1e-7)), var unbiased. A frame interval is useful for
 * training when this lies between about 0.05 (nothing happens) and 0.5 (frames barely related).
 */
public final class PersistenceBaseline {
    private static final double EPS = 1e-7;

    private PersistenceBaseline() {}

    /** Mean over variable components of {@link #oneStepVrmsePerField}. */
    public static double oneStepVrmse(Trajectory trajectory) {
        return oneStepVrmsePerField(trajectory).values().stream().mapToDouble(Double::doubleValue).average()
                .orElseThrow();
    }

    /** Per variable component: the persistence VRMSE averaged over all pairs of consecutive frames. */
    public static Map<String, Double> oneStepVrmsePerField(Trajectory trajectory) {
        Map<String, Double> out = new LinkedHashMap<>();
        trajectory.variableFields().forEach((name, frames) -> {
            double sum = 0;
            for (int t = 0; t + 1 < frames.length; t++) sum += vrmse(frames[t], frames[t + 1]);
            out.put(name, sum / (frames.length - 1));
        });
        return out;
    }

    /** sqrt(mean((prediction - truth)^2) / (unbiased var(truth) + 1e-7)). */
    public static double vrmse(float[] prediction, float[] truth) {
        int n = truth.length;
        double mean = 0;
        for (float v : truth) mean += v;
        mean /= n;
        double mse = 0, var = 0;
        for (int p = 0; p < n; p++) {
            double e = prediction[p] - truth[p];
            mse += e * e;
            double d = truth[p] - mean;
            var += d * d;
        }
        return Math.sqrt((mse / n) / (var / (n - 1) + EPS));
    }
}
