package org.walrusjava.train;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall time spent in each phase of training steps, summed over the steps it was handed. The benchmark prints it
 * as a breakdown, so that a slow step shows where it is slow. With activation checkpointing the re-run of each
 * segment's forward counts as backward, since that is when it happens.
 */
public final class StepPhases {
    public enum Phase { FORWARD, BACKWARD, CLIPPING, OPTIMIZER }

    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);

    public void add(Phase phase, long elapsedNanos) {
        nanos.merge(phase, elapsedNanos, Long::sum);
    }

    public double seconds(Phase phase) {
        return nanos.getOrDefault(phase, 0L) / 1e9;
    }
}
