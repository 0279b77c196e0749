package org.walrusjava.model;

import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * One prediction step in physical units (spec §1.6): normalise the raw window, run the model, take the last
 * position's increment, scale it by the window's increment RMS, add it to the last frame, keep the variable
 * channels and zero the components that 2-D -> 3-D inflation padded.
 */
public final class Predictor {
    /** What one step produced; the intermediates are for `walrus trace` and tests. */
    public record Step(Normalization.Stats stats, Tensor normalizedInput, Tensor modelOutput, Tensor nextFrame) {}

    private final WalrusModel model;

    public Predictor(WalrusModel model) {
        this.model = model;
    }

    public WalrusModel model() {
        return model;
    }

    /**
     * @param raw (T, B, C, H, W, D): variable channels first, then constant channels
     * @param variableChannels how many leading channels are variable fields
     * @param realChannel per variable channel, false for a padded tensor component (forced to zero)
     * @return the step, whose nextFrame is (1, B, variableChannels, H, W, D)
     */
    public Step step(Tensor raw, long[] labels, int[][] bcs, int variableChannels, boolean[] realChannel,
            Rolls rolls, ForwardTrace trace) {
        return run(raw, labels, bcs, variableChannels, realChannel, rolls, trace, false);
    }

    /**
     * The next frame alone, (1, B, variableChannels, H, W, D), the same as {@link #step}'s: the model runs
     * {@link WalrusModel#forwardLast}, skipping the work for positions whose output a prediction discards.
     */
    public Tensor next(Tensor raw, long[] labels, int[][] bcs, int variableChannels, boolean[] realChannel,
            Rolls rolls) {
        return run(raw, labels, bcs, variableChannels, realChannel, rolls, null, true).nextFrame();
    }

    private Step run(Tensor raw, long[] labels, int[][] bcs, int variableChannels, boolean[] realChannel,
            Rolls rolls, ForwardTrace trace, boolean lastPositionOnly) {
        Normalization.Stats stats = Normalization.of(raw);
        Tensor normalized = raw.to(DType.FLOAT32).div(stats.sampleRms());
        Tensor modelInput = normalized.to(model.dtype());
        Tensor out = (lastPositionOnly ? model.forwardLast(modelInput, labels, bcs, rolls)
                : model.forward(modelInput, labels, bcs, rolls, trace)).to(DType.FLOAT32);
        long t = raw.size(0);
        Tensor last = raw.narrow(0, t - 1, 1).narrow(2, 0, variableChannels).to(DType.FLOAT32);
        Tensor increment = out.narrow(0, out.size(0) - 1, 1).narrow(2, 0, variableChannels)
                .mul(stats.deltaRms().narrow(2, 0, variableChannels));
        Tensor next = last.add(increment).mul(channelMask(realChannel, last));
        return new Step(stats, normalized, out, next);
    }

    /** (1, 1, C, 1, 1, 1) of 1 for real channels and 0 for padded ones. */
    public static Tensor channelMask(boolean[] real, Tensor like) {
        float[] m = new float[real.length];
        for (int i = 0; i < real.length; i++) m[i] = real[i] ? 1f : 0f;
        return Tensor.of(m, 1, 1, real.length, 1, 1, 1).to(like.device());
    }
}
