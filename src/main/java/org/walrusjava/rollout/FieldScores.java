package org.walrusjava.rollout;

/** Every {@link Metric} of one field of one sample at one step. */
public final class FieldScores {
    private final double[] byMetric;

    FieldScores(double[] byMetric) {
        if (byMetric.length != Metric.values().length) throw new IllegalArgumentException("one value per metric");
        this.byMetric = byMetric;
    }

    public double get(Metric metric) {
        return byMetric[metric.ordinal()];
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Metric m : Metric.values()) s.append(m.ordinal() == 0 ? "" : ", ").append(m.key()).append('=').append(get(m));
        return s.append('}').toString();
    }
}
