package org.walrusjava.train;

import java.util.List;
import org.walrusjava.model.Normalization;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * The released training objective (spec §5, Corrections 6): the model predicts, at every time position, the
 * increment to the next frame in units of the window's increment RMS; the loss is the mean absolute error of
 * that prediction per (sample, step, field) over space, averaged and multiplied by 100. The first
 * {@code minimumContext} positions are left out because they see too little history to predict anything, as
 * upstream's trainer does only when more positions than that are predicted. A model that is not causal in time
 * predicts the last position alone, so its one target is the increment from the last frame to the next.
 * Padded tensor components (2-D data inflated to 3-D) are zero on both sides but still count in the mean.
 */
public final class Loss {
    /** The released multiplier that brings the normalised L1 into a readable range. */
    public static final double MULTIPLIER = 100.0;
    /** Positions dropped at the start of the window (released {@code minimum_context}). */
    public static final int MINIMUM_CONTEXT = 1;

    /**
     * @param lossX100 scalar (1 element), differentiable
     * @param perSampleStepFieldMae (B, positions kept, C_var), the spatial means before the final average
     */
    public record Result(Tensor lossX100, Tensor perSampleStepFieldMae) {}

    private Loss() {}

    /** Model input (T, B, C, H, W, D) in the model's dtype and the targets of {@link #compute}. */
    public record Prepared(Tensor input, Tensor targets) {}

    /**
     * Per-sample RMS normalisation of the window (the statistics are constants, no gradient flows through them)
     * and the increment targets of the positions the model predicts, in units of the window's increment RMS.
     */
    public static Prepared prepare(Batch batch, WalrusModel model) {
        Tensor raw = batch.raw().to(DType.FLOAT32);
        Normalization.Stats stats = Normalization.of(raw);
        int nVar = batch.variableChannels();
        Tensor targets = deltaTargets(raw, batch.next().to(DType.FLOAT32), nVar).div(stats.deltaRms().narrow(2, 0, nVar));
        if (!model.config().causalInTime()) targets = targets.narrow(0, targets.size(0) - 1, 1);
        return new Prepared(raw.div(stats.sampleRms()).to(model.dtype()), targets);
    }

    /** Runs the model on a batch as the trainer does: {@link #prepare}, forward pass, {@link #compute}. */
    public static Result of(WalrusModel model, Batch batch, Rolls rolls, int minimumContext) {
        Prepared p = prepare(batch, model);
        Tensor output = model.forward(p.input(), batch.labels(), batch.bcs(), rolls).to(DType.FLOAT32);
        return compute(output, p.targets(), batch.realChannel(), minimumContext);
    }

    /**
     * Causal increments [u1-u0, ..., u_{T-1}-u_{T-2}, y-u_{T-1}] of the variable channels, in physical units.
     *
     * @param raw the raw window (T, B, C, H, W, D), variable channels first
     * @param next the true next frame (1, B, C_var, H, W, D)
     */
    public static Tensor deltaTargets(Tensor raw, Tensor next, int variableChannels) {
        long t = raw.size(0);
        Tensor frames = Tensor.cat(List.of(raw.narrow(2, 0, variableChannels), next), 0);
        return frames.narrow(0, 1, t).sub(frames.narrow(0, 0, t));
    }

    /**
     * @param modelOutput normalised increments (T, B, C, H, W, D) for every input channel
     * @param normalizedTargets (T, B, C_var, H, W, D): {@link #deltaTargets} divided by the window's delta RMS
     * @param realChannel per variable channel, false for padded tensor components (forced to zero)
     * @param minimumContext leading positions left out when the output has more positions than this
     */
    public static Result compute(Tensor modelOutput, Tensor normalizedTargets, boolean[] realChannel,
            int minimumContext) {
        int nVar = realChannel.length;
        long t = modelOutput.size(0);
        if (normalizedTargets.size(2) != nVar || normalizedTargets.size(0) != t)
            throw new IllegalArgumentException("targets " + normalizedTargets + " do not match output " + modelOutput
                    + " with " + nVar + " variable channels");
        Tensor mask = Predictor.channelMask(realChannel, modelOutput).to(modelOutput.dtype());
        Tensor prediction = modelOutput.narrow(2, 0, nVar).mul(mask);
        Tensor target = normalizedTargets.mul(mask);
        long skipped = t > minimumContext ? minimumContext : 0;
        long kept = t - skipped;
        Tensor error = prediction.narrow(0, skipped, kept).sub(target.narrow(0, skipped, kept)).abs();
        Tensor mae = error.mean(new long[] {3, 4, 5}, false).permute(1, 0, 2); // (B, T', C_var)
        return new Result(mae.mean().mul(MULTIPLIER).reshape(1), mae);
    }
}
