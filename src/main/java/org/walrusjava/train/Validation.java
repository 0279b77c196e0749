package org.walrusjava.train;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.walrusjava.rollout.ProgressListener;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.rollout.RolloutRunner;
import org.walrusjava.rollout.RolloutScorer;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;

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
        FieldLayout layout = new FieldLayout(info.variableChannels(), info.paddedFieldMask(), info.spatialShape());
        RolloutScorer scorer = new RolloutScorer(layout, horizon);
        Predictor predictor = new Predictor(model);
        for (int i = 0; i < n; i++) {
            try (NativeScope scope = NativeScope.open()) {
                // Validation sets are opened without augmentation, so the rotation drawn here is the identity.
                org.walrusjava.data.Batch b = dataset.batch(new long[] {i}, new Random(seed));
                long[] labels = Arrays.stream(b.fieldIndices()).asLongStream().toArray();
                Rollout.Window start = new Rollout.Window(BatchTensors.window(b, device), labels, b.boundaryConditions(),
                        b.nVariable(), b.paddedFieldMask(), null);
                RolloutRunner.Truth truth = new RolloutRunner.Truth(layout, frames(b.output(), horizon, b),
                        frames(b.input(), b.inputSteps(), b)[b.inputSteps() - 1]);
                RolloutRunner.Outcome out = RolloutRunner.run(predictor, start,
                        RolloutRunner.Plan.single(horizon, Rolls.seeded(Seeds.mix(seed, i))), truth, ProgressListener.NONE);
                RolloutRunner.score(out.perStep(0), out.steps(), truth, scorer, null);
                // A rollout stopped as diverged scores NaN (never "best") for the steps it did not reach.
                float[][] diverged = new float[b.nVariable()][b.gridSize()];
                for (float[] channel : diverged) Arrays.fill(channel, Float.NaN);
                for (int step = out.steps(); step < horizon; step++) {
                    scorer.score(step, diverged, truth.frames()[step]);
                    scorer.scorePersistence(step, truth.lastInput(), truth.frames()[step]);
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

    /** The first {@code count} frames of sample 0 of a data-layer array (B, T, cells, C) as [step][channel][cell]. */
    private static float[][][] frames(float[] data, int count, org.walrusjava.data.Batch b) {
        int cells = b.gridSize(), channels = b.nVariable();
        float[][][] out = new float[count][channels][cells];
        for (int t = 0; t < count; t++)
            for (int i = 0; i < cells; i++)
                for (int c = 0; c < channels; c++) out[t][c][i] = data[(t * cells + i) * channels + c];
        return out;
    }
}
