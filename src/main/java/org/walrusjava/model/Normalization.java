package org.walrusjava.model;

import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * Per-sample, per-channel RMS normalisation (spec §4.5, "SamplewiseRevNormalization"): inputs are divided by
 * their RMS over (T, H, W, D); the model's output increments are scaled back by the RMS of the input's
 * consecutive differences. No dataset statistics are involved, so any data can be fed as it is.
 */
public final class Normalization {
    /** Floor of both statistics, as the released notebook passes it (model_epsilon). */
    public static final double EPSILON = 1e-5;

    /** sampleRms and deltaRms have shape (1, B, C, 1, 1, 1). */
    public record Stats(Tensor sampleRms, Tensor deltaRms) {}

    private Normalization() {}

    /** Statistics of a raw window (T, B, C, H, W, D), computed in float32 whatever the input dtype. */
    public static Stats of(Tensor raw) {
        Tensor x = raw.to(DType.FLOAT32);
        long[] dims = {0, 3, 4, 5};
        Tensor sampleRms = x.square().mean(dims, true).sqrt().clampMin(EPSILON);
        long t = x.size(0);
        Tensor deltaRms;
        if (t == 1) {
            deltaRms = Tensor.ones(DType.FLOAT32, x.device(), sampleRms.shape());
        } else {
            Tensor diff = x.narrow(0, 1, t - 1).sub(x.narrow(0, 0, t - 1));
            deltaRms = diff.square().mean(dims, true).sqrt().clampMin(EPSILON);
        }
        return new Stats(sampleRms, deltaRms);
    }
}
