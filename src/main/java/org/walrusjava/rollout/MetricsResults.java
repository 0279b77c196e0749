package org.walrusjava.rollout;

import java.util.List;
import java.util.Optional;

/**
 * Everything measured over a rollout: the model's metric curves, the same metrics for the persistence baseline
 * (the last input frame copied forward) when it was scored, and the ensemble extras when there was an ensemble.
 * With an ensemble, {@link #model()} scores the ensemble mean.
 *
 * @param fields the real fields, in channel order
 * @param steps number of predicted steps scored (fewer than planned when a rollout stopped early)
 */
public record MetricsResults(List<String> fields, int steps, MetricTable model, Optional<MetricTable> persistence,
                             Optional<EnsembleSummary> ensemble) {
    public MetricsResults {
        fields = List.copyOf(fields);
        if (model.steps() != steps) throw new IllegalArgumentException("model curves have " + model.steps() + " steps, not " + steps);
        persistence.ifPresent(p -> {
            if (p.steps() != steps) throw new IllegalArgumentException("persistence curves have " + p.steps() + " steps, not " + steps);
        });
    }
}
