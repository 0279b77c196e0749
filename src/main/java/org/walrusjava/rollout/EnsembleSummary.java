package org.walrusjava.rollout;

import java.util.List;
import java.util.Map;

/**
 * What an ensemble adds to a rollout's metrics. Every map is keyed by field plus {@link FieldLayout#FULL} (the mean
 * over fields); curves hold one value per step, averaged over samples.
 *
 * @param members ensemble size K
 * @param spread sqrt(mean over cells of the unbiased member variance) per step
 * @param memberVrmseMin smallest VRMSE of a single member per step (members' curves averaged over samples first)
 * @param memberVrmseMax largest such VRMSE
 * @param spreadErrorCorrelation Pearson correlation, over all (sample, step) pairs, between the spread and the RMSE
 *     of the ensemble mean: near 1 when the spread tells the user how far off the emulator is
 */
public record EnsembleSummary(int members, List<String> columns, Map<String, double[]> spread,
                              Map<String, double[]> memberVrmseMin, Map<String, double[]> memberVrmseMax,
                              Map<String, Double> spreadErrorCorrelation) {
    public EnsembleSummary {
        columns = List.copyOf(columns);
        spread = Map.copyOf(spread);
        memberVrmseMin = Map.copyOf(memberVrmseMin);
        memberVrmseMax = Map.copyOf(memberVrmseMax);
        spreadErrorCorrelation = Map.copyOf(spreadErrorCorrelation);
    }
}
