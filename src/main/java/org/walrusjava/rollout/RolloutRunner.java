package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * Runs one rollout, or an ensemble of them, with {@link Rollout} and watches it: a rollout stops at the first step
 * whose prediction is not finite or, when the truth is known, whose VRMSE (mean over fields) passes a limit. What
 * came before that step is kept, and the members of an ensemble are cut to the steps they all completed.
 *
 * <p>Ensemble members differ in their jitter (member k gets {@code plan.rolls().apply(k)}, e.g. seeds s, s+1, ...)
 * and optionally in a small perturbation of the starting window; they run one after another, since a batch would
 * share one set of rolls.
 */
public final class RolloutRunner {
    /** Where a rollout is called diverged when the truth is known: VRMSE this far above "predicting the mean". */
    public static final double DEFAULT_DIVERGENCE_VRMSE = 1e3;

    /**
     * @param steps steps to predict
     * @param members ensemble size (1 for a single rollout)
     * @param rolls the jitter of member k
     * @param perturbation relative size of the Gaussian noise added to each member's starting window (0 for none):
     *     noise of standard deviation perturbation * RMS of the channel over the window, on real variable channels
     * @param perturbationSeed seed of member 0's noise; member k uses perturbationSeed + k
     * @param divergenceVrmse the VRMSE limit (only checked against a truth)
     */
    public record Plan(int steps, int members, IntFunction<Rolls> rolls, double perturbation, long perturbationSeed,
                       double divergenceVrmse) {
        public Plan {
            if (steps < 1) throw new IllegalArgumentException("a rollout has at least one step, got " + steps);
            if (members < 1) throw new IllegalArgumentException("an ensemble has at least one member, got " + members);
            if (!(perturbation >= 0)) throw new IllegalArgumentException("negative perturbation " + perturbation);
        }

        public static Plan single(int steps, Rolls rolls) {
            return new Plan(steps, 1, k -> rolls, 0, 0, DEFAULT_DIVERGENCE_VRMSE);
        }
    }

    /**
     * What the rollout is compared with, for sample 0: the true frames after the window and the window's last
     * frame (the persistence baseline), as [step][channel][cell] and [channel][cell] over the layout's channels.
     */
    public record Truth(FieldLayout layout, float[][][] frames, float[][] lastInput) {}

    /** The 0-based step at which a rollout was stopped, and why. */
    public record Stop(int step, String reason) {
        public String message() {
            return "stopped at step " + (step + 1) + ": " + reason;
        }
    }

    /**
     * @param members per member the predicted frames (steps, B, C_var, H, W, D), all cut to {@code steps}
     * @param steps steps every member completed (and that passed the divergence check, except the step that failed
     *     it on VRMSE, which is kept so its error can be seen)
     */
    public record Outcome(List<Tensor> members, int steps, Optional<Stop> stop) {
        /** The predicted frames of one sample as [step][channel][cell] for each member. */
        public List<float[][][]> perStep(int sample) {
            return members.stream().map(m -> Frames.perStep(m, sample)).toList();
        }
    }

    private RolloutRunner() {}

    /** Runs the plan from {@code start}; {@code truth} may be null (then only non-finite values stop it). */
    public static Outcome run(Predictor predictor, Rollout.Window start, Plan plan, Truth truth,
                              ProgressListener progress) {
        if (truth != null && truth.frames().length < plan.steps()) {
            throw new IllegalArgumentException(plan.steps() + " steps planned but only " + truth.frames().length
                    + " true frames");
        }
        long total = (long) plan.steps() * plan.members();
        List<Tensor> members = new ArrayList<>();
        int limit = plan.steps();
        Stop stop = null;
        for (int member = 0; member < plan.members() && limit > 0; member++) {
            int k = member;
            Rollout.Window window = plan.perturbation() > 0
                    ? perturbed(start, plan.perturbation(), plan.perturbationSeed() + k) : start;
            long done = (long) k * plan.steps();
            Stop[] stopped = new Stop[1];
            Rollout.Result r = Rollout.run(predictor, window, limit, plan.rolls().apply(k), (step, frame) -> {
                progress.update(done + step + 1, total);
                String problem = truth == null ? null : divergence(truth, step, frame, plan.divergenceVrmse());
                if (problem == null) return true;
                stopped[0] = new Stop(step, problem + memberSuffix(k, plan.members()));
                return false;
            });
            if (r.divergedAt() >= 0) {
                stopped[0] = new Stop(r.divergedAt(), "the prediction has NaN or Inf values" + memberSuffix(k, plan.members()));
            }
            if (stopped[0] != null && (stop == null || stopped[0].step() < stop.step())) stop = stopped[0];
            limit = Math.min(limit, r.steps());
            members.add(r.frames());
        }
        int steps = limit;
        List<Tensor> cut = members.stream().map(m -> m.narrow(0, 0, steps)).toList();
        return new Outcome(cut, steps, Optional.ofNullable(stop));
    }

    /**
     * Scores the first {@code steps} steps of sample 0 ({@link Outcome#perStep}) against the truth (an ensemble
     * through its mean and spread), scores the persistence baseline on the same steps, and hands the frames the
     * report wants to it (report may be null).
     */
    public static void score(List<float[][][]> members, int steps, Truth truth, RolloutScorer scorer,
                             RolloutReport report) {
        for (int t = 0; t < steps; t++) {
            float[][] real = truth.frames()[t];
            boolean draw = report != null && report.wantsFrame(t);
            if (members.size() == 1) {
                float[][] prediction = members.getFirst()[t];
                scorer.score(t, prediction, real);
                if (draw) report.addFrame(t, real, prediction);
            } else {
                float[][][] atStep = new float[members.size()][][];
                for (int k = 0; k < atStep.length; k++) atStep[k] = members.get(k)[t];
                EnsembleStats.Frame frame = scorer.scoreEnsemble(t, atStep, real);
                if (draw) report.addFrame(t, real, frame);
            }
            scorer.scorePersistence(t, truth.lastInput(), real);
        }
    }

    /** Why this step counts as diverged, or null: VRMSE of sample 0 averaged over the real fields. */
    private static String divergence(Truth truth, int step, Tensor frame, double limit) {
        float[][] prediction = Frames.perStep(frame, 0)[0];
        int[] real = truth.layout().realChannels();
        double sum = 0;
        for (int c : real) sum += Metrics.vrmse(prediction[c], truth.frames()[step][c]);
        double vrmse = sum / real.length;
        if (vrmse <= limit) return null;
        return Double.isNaN(vrmse) ? "VRMSE is NaN"
                : String.format("VRMSE averaged over fields is %.3g, above the divergence limit %.3g", vrmse, limit);
    }

    private static String memberSuffix(int member, int members) {
        return members == 1 ? "" : " (ensemble member " + member + ")";
    }

    /** The window with Gaussian noise on its real variable channels, scaled per sample and channel by their RMS. */
    static Rollout.Window perturbed(Rollout.Window w, double relative, long seed) {
        Tensor raw = w.raw();
        long[] shape = raw.shape().clone();
        int nVar = w.variableChannels();
        shape[2] = nVar;
        Tensor variable = raw.narrow(2, 0, nVar).to(DType.FLOAT32);
        Tensor scale = variable.square().mean(new long[] {0, 3, 4, 5}, true).sqrt().mul(relative);
        Random rng = new Random(seed);
        float[] noise = new float[Math.toIntExact(variable.numel())];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) rng.nextGaussian();
        float[] real = new float[nVar];
        for (int c = 0; c < nVar; c++) real[c] = w.realChannel()[c] ? 1f : 0f;
        Tensor delta = Tensor.of(noise, shape).to(raw.device()).mul(scale)
                .mul(Tensor.of(real, 1, 1, nVar, 1, 1, 1).to(raw.device()));
        if (w.solid() != null) delta = delta.mul(w.solid().neg().add(1));
        Tensor constants = raw.narrow(2, nVar, raw.size(2) - nVar);
        Tensor noisy = Tensor.cat(List.of(variable.add(delta).to(raw.dtype()), constants), 2);
        return new Rollout.Window(noisy, w.labels(), w.bcs(), nVar, w.realChannel(), w.solid());
    }
}
