package org.walrusjava.rollout;

import org.walrusjava.tensor.Tensor;

/** Model tensors as the per-channel float arrays that the scorer and the pictures take. */
public final class Frames {
    private Frames() {}

    /**
     * One sample of a stack of frames (N, B, C, H, W, D) as [step][channel][cell], cells row-major over (H, W, D).
     */
    public static float[][][] perStep(Tensor frames, int sample) {
        int steps = (int) frames.size(0);
        int channels = (int) frames.size(2);
        float[] flat = frames.select(1, sample).toFloatArray();
        int cells = steps == 0 ? 0 : flat.length / (steps * channels);
        float[][][] out = new float[steps][channels][cells];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) System.arraycopy(flat, (t * channels + c) * cells, out[t][c], 0, cells);
        }
        return out;
    }
}
