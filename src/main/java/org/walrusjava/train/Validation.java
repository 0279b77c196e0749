package org.walrusjava.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.walrusjava.data.WellDataset;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.rollout.FieldLayout;
import org.walrusjava.rollout.Metric;
import org.walrusjava.rollout.MetricsResults;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.rollout.RolloutScorer;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Short autoregressive rollouts on held-out trajectories, scored with The Well's VRMSE per field (spec §6), with
 * the persistence baseline (last input frame copied forward) alongside. The score of a validation is the mean
 * over datasets of the field-averaged VRMSE over the rollout steps: lower is better.
 */
public final class Validation {
    /**
     * @param vrmse per field, averaged over steps and trajectories; "full" is the mean over fields
     * @param persistence the same for the persistence baseline
     */
    public record DatasetScore(String dataset, int steps, Map<String, Double> vrmse, Map<String, Double> persistence) {
        public double full() {
            return vrmse.get(FieldLayout.FULL);
        }
    }

    public record Result(List<DatasetScore> datasets) {
        /** Mean over datasets of the full VRMSE (NaN if a rollout diverged at its first step). */
        public double score() {
            return datasets.stream().mapToDouble(DatasetScore::full).average().orElse(Double.NaN);
        }

        public double persistenceScore() {
            return datasets.stream().mapToDouble(d -> d.persistence().get(FieldLayout.FULL)).average().orElse(Double.NaN);
        }
    }

    private final List<WellDataset> datasets;
    private final int trajectories;
    private final int steps;
    private final Device device;
    private final long seed;

    /**
     * @param fullTrajectoryDatasets validation splits opened with full-trajectory windows
     * @param trajectories how many trajectories per dataset, steps how many rollout steps at most
     */
    public Validation(List<WellDataset> fullTrajectoryDatasets, int trajectories, int steps, Device device, long seed) {
        this.datasets = List.copyOf(fullTrajectoryDatasets);
        this.trajectories = trajectories;
        this.steps = steps;
        this.device = device;
        this.seed = seed;
    }

    /** Runs every rollout in inference mode (no drop-path) and puts the model back in training mode after. */
    public Result run(WalrusModel model) {
        model.train(false);
        try {
            List<DatasetScore> out = new ArrayList<>();
            for (WellDataset d : datasets) out.add(score(model, d));
            return new Result(out);
        } finally {
            model.train(true);
        }
    }

    private DatasetScore score(WalrusModel model, WellDataset dataset) {
        var info = dataset.info();
        int n = (int) Math.min(trajectories, dataset.size());
        int horizon = Math.min(steps, info.outputSteps());
        int[] shape = info.spatialShape();
        FieldLayout layout = new FieldLayout(info.variableChannels(), info.paddedFieldMask(), shape);
        RolloutScorer scorer = new RolloutScorer(layout, horizon);
        Predictor predictor = new Predictor(model);
        for (int i = 0; i < n; i++) {
            try (NativeScope scope = NativeScope.open()) {
                // No augmentation here: validation sets are opened without it, so the rotation is the identity.
                org.walrusjava.data.Batch b = dataset.batch(new long[] {i}, new Random(seed));
                Tensor window = BatchTensors.window(b, device);
                long[] labels = java.util.Arrays.stream(b.fieldIndices()).asLongStream().toArray();
                Rollout.Window start = new Rollout.Window(window, labels, b.boundaryConditions(), b.nVariable(),
                        b.paddedFieldMask(), null);
                Rollout.Result r = Rollout.run(predictor, start, horizon, Rolls.seeded(Seeds.mix(seed, i)), null);
                float[] predicted = r.frames().toFloatArray();
                int cells = b.gridSize(), c = b.nVariable();
                float[][] last = frame(b.input(), b.inputSteps() - 1, cells, c, true);
                for (int step = 0; step < r.steps(); step++) {
                    float[][] truth = frame(b.output(), step, cells, c, true);
                    scorer.score(step, frame(predicted, step, cells, c, false), truth);
                    scorer.scorePersistence(step, last, truth);
                }
                // A diverged rollout scores as infinitely bad from its first non-finite step on.
                for (int step = r.steps(); step < horizon; step++) {
                    float[][] bad = new float[c][cells];
                    for (float[] ch : bad) java.util.Arrays.fill(ch, Float.NaN);
                    float[][] truth = frame(b.output(), step, cells, c, true);
                    scorer.score(step, bad, truth);
                    scorer.scorePersistence(step, last, truth);
                }
            }
        }
        MetricsResults results = scorer.results();
        return new DatasetScore(info.datasetName(), horizon, meanOverSteps(results.model()),
                meanOverSteps(results.persistence().orElseThrow()));
    }

    private static Map<String, Double> meanOverSteps(org.walrusjava.rollout.MetricTable table) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String column : table.columns()) {
            double sum = 0;
            double[] curve = table.curve(Metric.VRMSE, column);
            for (double v : curve) sum += v;
            out.put(column, sum / curve.length);
        }
        return out;
    }

    /**
     * One frame of sample 0 as one array per channel. Data-layer arrays are channels-last (T, cells, C); rollout
     * frames are channels-first (T, C, cells).
     */
    static float[][] frame(float[] data, int t, int cells, int channels, boolean channelsLast) {
        float[][] out = new float[channels][cells];
        int base = t * cells * channels;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < cells; i++)
                out[c][i] = channelsLast ? data[base + i * channels + c] : data[base + c * cells + i];
        return out;
    }
}
