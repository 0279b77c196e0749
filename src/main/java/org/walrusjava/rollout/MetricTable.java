package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-step curves of every {@link Metric} for every field, already averaged over samples, plus the "full" curve
 * (the mean over fields, as upstream's `full_<metric>`), and their summaries over {@link TimeWindows}.
 */
public final class MetricTable {
    private final List<String> fields;
    private final int steps;
    private final double[][][] curves; // [metric][field][step]

    /** curves[metric ordinal][field index][step index]; copied. */
    public MetricTable(List<String> fields, double[][][] curves) {
        this.fields = List.copyOf(fields);
        if (curves.length != Metric.values().length) throw new IllegalArgumentException("one curve set per metric");
        this.steps = curves[0].length == 0 ? 0 : curves[0][0].length;
        this.curves = new double[curves.length][][];
        for (int m = 0; m < curves.length; m++) {
            if (curves[m].length != fields.size()) throw new IllegalArgumentException("one curve per field");
            this.curves[m] = new double[fields.size()][];
            for (int f = 0; f < fields.size(); f++) {
                if (curves[m][f].length != steps) throw new IllegalArgumentException("curves differ in length");
                this.curves[m][f] = curves[m][f].clone();
            }
        }
    }

    public List<String> fields() {
        return fields;
    }

    public int steps() {
        return steps;
    }

    /** The metric per step (index 0 = step 1) for a field, or for {@link FieldLayout#FULL}. */
    public double[] curve(Metric metric, String field) {
        if (FieldLayout.FULL.equals(field)) return full(metric);
        int f = fields.indexOf(field);
        if (f < 0) throw new IllegalArgumentException("no field " + field + " among " + fields);
        return curves[metric.ordinal()][f].clone();
    }

    /** Mean over fields at each step. */
    public double[] full(Metric metric) {
        return meanOverFields(curves[metric.ordinal()]);
    }

    /** The "full" curve: at each step the mean of curves[field][step] over fields. */
    static double[] meanOverFields(double[][] curves) {
        double[] out = new double[curves[0].length];
        for (double[] c : curves) for (int t = 0; t < out.length; t++) out[t] += c[t];
        for (int t = 0; t < out.length; t++) out[t] /= curves.length;
        return out;
    }

    /** The fields followed by "full": the columns of every table. */
    public List<String> columns() {
        List<String> out = new ArrayList<>(fields);
        out.add(FieldLayout.FULL);
        return out;
    }

    /** metric key -> column -> per-step values: "per_step" in metrics.json. */
    public Map<String, Map<String, double[]>> perStep() {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            Map<String, double[]> byField = new LinkedHashMap<>();
            for (String c : columns()) byField.put(c, curve(m, c));
            out.put(m.key(), byField);
        }
        return out;
    }

    /** window label -> metric key -> column -> mean over the window: "windows" in metrics.json. */
    public Map<String, Map<String, Map<String, Double>>> windows() {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (TimeWindows.Window w : TimeWindows.forSteps(steps)) {
            Map<String, Map<String, Double>> byMetric = new LinkedHashMap<>();
            for (Metric m : Metric.values()) {
                Map<String, Double> byField = new LinkedHashMap<>();
                for (String c : columns()) byField.put(c, w.mean(curve(m, c)));
                byMetric.put(m.key(), byField);
            }
            out.put(w.label(), byMetric);
        }
        return out;
    }
}
