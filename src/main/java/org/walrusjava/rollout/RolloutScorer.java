package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores a rollout as it runs. Call once per sample and step with that sample's frames, one float array per
 * channel (see {@link FieldLayout}); step 0 is the first predicted frame. Either {@link #score} (one prediction)
 * or {@link #scoreEnsemble} (K predictions) for the model, and optionally {@link #scorePersistence} for the
 * baseline. {@link #results()} averages over samples and keeps the steps scored so far, so a rollout stopped when
 * it diverged still reports every step before that.
 */
public final class RolloutScorer {
    private final FieldLayout layout;
    private final int[] fieldChannels;
    private final Spectral spectral;
    private final int maxSteps;
    private final Sums model;
    private final Sums persistence;
    private EnsembleSums ensemble;
    private boolean deterministic;

    public RolloutScorer(FieldLayout layout, int maxSteps) {
        if (maxSteps < 1) throw new IllegalArgumentException("a rollout scores at least one step, got " + maxSteps);
        this.layout = layout;
        this.fieldChannels = layout.realChannels();
        this.spectral = new Spectral(layout.shape());
        this.maxSteps = maxSteps;
        this.model = new Sums(fieldChannels.length, maxSteps);
        this.persistence = new Sums(fieldChannels.length, maxSteps);
    }

    /**
     * Scores one sample's predicted frame at a step against the true frame.
     *
     * @return this sample's scores per real field (in {@link FieldLayout#fields()} order), so the caller can stop a
     *     rollout whose VRMSE explodes or turns NaN
     */
    public FieldScores[] score(int step, float[][] prediction, float[][] truth) {
        if (ensemble != null) throw new IllegalStateException("this rollout is scored as an ensemble");
        deterministic = true;
        FieldScores[] scores = scoreFields(step, prediction, truth, "prediction");
        model.add(step, scores);
        return scores;
    }

    /** Scores the persistence baseline: the sample's last input frame against the true frame at this step. */
    public void scorePersistence(int step, float[][] lastInput, float[][] truth) {
        persistence.add(step, scoreFields(step, lastInput, truth, "persistence frame"));
    }

    /**
     * Scores one sample's ensemble at a step: members[k] is member k's frame. The ensemble mean is scored as the
     * prediction; the spread, each member's VRMSE and the spread-error pairs are kept for the ensemble summary.
     *
     * @return the ensemble mean and cell-wise spread of each real channel, for pictures
     */
    public EnsembleStats.Frame scoreEnsemble(int step, float[][][] members, float[][] truth) {
        if (deterministic) throw new IllegalStateException("this rollout is scored with single predictions");
        if (members.length < 2) throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members.length);
        if (ensemble == null) ensemble = new EnsembleSums(members.length, fieldChannels.length, maxSteps);
        if (members.length != ensemble.members) {
            throw new IllegalArgumentException("ensemble had " + ensemble.members + " members, now " + members.length);
        }
        checkStep(step);
        layout.check(truth, "truth");
        int channels = layout.channels().size();
        float[][] mean = new float[channels][];
        float[][] spread = new float[channels][];
        double[] spreadScalar = new double[fieldChannels.length];
        double[][] memberVrmse = new double[members.length][];
        for (int k = 0; k < members.length; k++) {
            layout.check(members[k], "ensemble member " + k);
            memberVrmse[k] = new double[fieldChannels.length];
        }
        for (int f = 0; f < fieldChannels.length; f++) {
            int c = fieldChannels[f];
            float[][] byMember = new float[members.length][];
            for (int k = 0; k < members.length; k++) byMember[k] = members[k][c];
            mean[c] = EnsembleStats.mean(byMember);
            spread[c] = EnsembleStats.spread(byMember);
            spreadScalar[f] = EnsembleStats.spreadScalar(byMember);
            for (int k = 0; k < members.length; k++) memberVrmse[k][f] = Metrics.vrmse(byMember[k], truth[c]);
        }
        FieldScores[] meanScores = scoreFields(step, mean, truth, "ensemble mean");
        model.add(step, meanScores);
        ensemble.add(step, spreadScalar, memberVrmse, meanScores);
        return new EnsembleStats.Frame(mean, spread);
    }

    /** The metrics of every step scored so far (steps 0..n-1 where each has at least one sample). */
    public MetricsResults results() {
        int steps = model.completedSteps();
        if (steps == 0) throw new IllegalStateException("no step has been scored");
        List<String> fields = layout.fields();
        Optional<MetricTable> base = persistence.completedSteps() >= steps
                ? Optional.of(persistence.table(fields, steps)) : Optional.empty();
        Optional<EnsembleSummary> extras = ensemble == null ? Optional.empty() : Optional.of(ensemble.summary(fields, steps));
        return new MetricsResults(fields, steps, model.table(fields, steps), base, extras);
    }

    private void checkStep(int step) {
        if (step < 0 || step >= maxSteps) {
            throw new IllegalArgumentException("step " + step + " outside the rollout's 0.." + (maxSteps - 1));
        }
    }

    private FieldScores[] scoreFields(int step, float[][] prediction, float[][] truth, String what) {
        checkStep(step);
        layout.check(prediction, what);
        layout.check(truth, "truth");
        FieldScores[] out = new FieldScores[fieldChannels.length];
        for (int f = 0; f < fieldChannels.length; f++) {
            int c = fieldChannels[f];
            out[f] = Metrics.score(prediction[c], truth[c], spectral);
        }
        return out;
    }

    /** Per-step sums of every metric over samples. */
    private static final class Sums {
        final double[][][] sums; // [metric][field][step]
        final int[] samples;

        Sums(int fields, int steps) {
            sums = new double[Metric.values().length][fields][steps];
            samples = new int[steps];
        }

        void add(int step, FieldScores[] scores) {
            for (Metric m : Metric.values()) {
                for (int f = 0; f < scores.length; f++) sums[m.ordinal()][f][step] += scores[f].get(m);
            }
            samples[step]++;
        }

        int completedSteps() {
            int n = 0;
            while (n < samples.length && samples[n] > 0) n++;
            return n;
        }

        MetricTable table(List<String> fields, int steps) {
            double[][][] means = new double[sums.length][fields.size()][steps];
            for (int m = 0; m < sums.length; m++) {
                for (int f = 0; f < fields.size(); f++) {
                    for (int t = 0; t < steps; t++) means[m][f][t] = sums[m][f][t] / samples[t];
                }
            }
            return new MetricTable(fields, means);
        }
    }

    /** Per-step sums of the ensemble extras, and the (spread, error) pairs behind the correlation. */
    private static final class EnsembleSums {
        final int members;
        final double[][] spread; // [field][step]
        final double[][][] memberVrmse; // [member][field][step]
        final int[] samples;
        final List<List<double[]>> spreadErrorPairs = new ArrayList<>(); // per field: {step, spread, rmse}

        EnsembleSums(int members, int fields, int steps) {
            this.members = members;
            spread = new double[fields][steps];
            memberVrmse = new double[members][fields][steps];
            samples = new int[steps];
            for (int f = 0; f < fields; f++) spreadErrorPairs.add(new ArrayList<>());
        }

        void add(int step, double[] spreadScalar, double[][] vrmse, FieldScores[] meanScores) {
            for (int f = 0; f < spreadScalar.length; f++) {
                spread[f][step] += spreadScalar[f];
                for (int k = 0; k < members; k++) memberVrmse[k][f][step] += vrmse[k][f];
                spreadErrorPairs.get(f).add(new double[] {step, spreadScalar[f], meanScores[f].get(Metric.RMSE)});
            }
            samples[step]++;
        }

        EnsembleSummary summary(List<String> fields, int steps) {
            List<String> columns = new ArrayList<>(fields);
            columns.add(FieldLayout.FULL);
            Map<String, double[]> spreadCurves = withFull(fields, perStepMeans(spread, steps));
            List<Map<String, double[]>> memberCurves = new ArrayList<>();
            for (double[][] sums : memberVrmse) memberCurves.add(withFull(fields, perStepMeans(sums, steps)));
            Map<String, double[]> min = new HashMap<>();
            Map<String, double[]> max = new HashMap<>();
            for (String column : columns) {
                double[] lo = new double[steps];
                double[] hi = new double[steps];
                Arrays.fill(lo, Double.POSITIVE_INFINITY);
                Arrays.fill(hi, Double.NEGATIVE_INFINITY);
                for (Map<String, double[]> member : memberCurves) {
                    double[] curve = member.get(column);
                    for (int t = 0; t < steps; t++) {
                        lo[t] = Math.min(lo[t], curve[t]);
                        hi[t] = Math.max(hi[t], curve[t]);
                    }
                }
                min.put(column, lo);
                max.put(column, hi);
            }
            Map<String, Double> correlation = new HashMap<>();
            double sum = 0;
            for (int f = 0; f < fields.size(); f++) {
                double r = correlation(spreadErrorPairs.get(f), steps);
                correlation.put(fields.get(f), r);
                sum += r;
            }
            correlation.put(FieldLayout.FULL, sum / fields.size());
            return new EnsembleSummary(members, columns, spreadCurves, min, max, correlation);
        }

        private double[][] perStepMeans(double[][] sumsByField, int steps) {
            double[][] out = new double[sumsByField.length][steps];
            for (int f = 0; f < sumsByField.length; f++) {
                for (int t = 0; t < steps; t++) out[f][t] = sumsByField[f][t] / samples[t];
            }
            return out;
        }

        private static Map<String, double[]> withFull(List<String> fields, double[][] curves) {
            Map<String, double[]> out = new HashMap<>();
            for (int f = 0; f < fields.size(); f++) out.put(fields.get(f), curves[f]);
            out.put(FieldLayout.FULL, MetricTable.meanOverFields(curves));
            return out;
        }

        /** Plain Pearson correlation of spread and error over the pairs of the first `steps` steps. */
        private static double correlation(List<double[]> pairs, int steps) {
            List<double[]> kept = pairs.stream().filter(p -> p[0] < steps).toList();
            double meanSpread = kept.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
            double meanError = kept.stream().mapToDouble(p -> p[2]).average().orElse(Double.NaN);
            double cross = 0;
            double spreadSq = 0;
            double errorSq = 0;
            for (double[] p : kept) {
                cross += (p[1] - meanSpread) * (p[2] - meanError);
                spreadSq += (p[1] - meanSpread) * (p[1] - meanSpread);
                errorSq += (p[2] - meanError) * (p[2] - meanError);
            }
            return cross / Math.sqrt(spreadSq * errorSq);
        }
    }
}
