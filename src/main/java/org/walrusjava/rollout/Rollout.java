package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.List;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Autoregressive rollout exactly as the reference runs it (spec §6, Corrections 11): predict the next frame from
 * the window, then slide the window by one frame: drop the oldest, append the prediction (padded components
 * zero, solid cells zero) with the last frame's constant channels unchanged, and recompute the normalisation
 * statistics on the new window, predicted frames included.
 */
public final class Rollout {
    /**
     * The starting window and what the model needs to read it.
     *
     * @param raw (T, B, C, H, W, D) in physical units, variable channels first, constant channels last
     * @param realChannel per variable channel: false for a component padded by 2-D -> 3-D inflation
     * @param solid optional (1, B, 1, H, W, D) mask, 1 where a `mask` constant field marks an obstacle
     */
    public record Window(Tensor raw, long[] labels, int[][] bcs, int variableChannels, boolean[] realChannel,
            Tensor solid) {}

    /** Sees each predicted frame (1, B, C_var, H, W, D) as it is made; return false to stop early. */
    @FunctionalInterface
    public interface StepListener {
        boolean onStep(int step, Tensor frame);
    }

    /**
     * @param frames the predicted frames, (steps, B, C_var, H, W, D) (fewer if stopped early)
     * @param divergedAt the 0-based step whose prediction was not finite, or -1; frames before it are kept
     */
    public record Result(Tensor frames, int divergedAt) {
        public int steps() {
            return (int) frames.size(0);
        }
    }

    private Rollout() {}

    public static Result run(Predictor predictor, Window start, int steps, Rolls rolls, StepListener listener) {
        List<Tensor> frames = new ArrayList<>();
        int diverged = -1;
        Tensor window = start.raw();
        int nVar = start.variableChannels();
        long channels = window.size(2);
        try (Autograd off = Autograd.off(); NativeScope outer = NativeScope.open()) {
            for (int step = 0; step < steps; step++) {
                Tensor next;
                try (NativeScope scope = NativeScope.open()) {
                    Tensor frame = predictor.next(window, start.labels(), start.bcs(), nVar, start.realChannel(),
                            rolls);
                    if (start.solid() != null) frame = frame.mul(start.solid().neg().add(1));
                    if (!frame.allFinite()) {
                        diverged = step;
                        break;
                    }
                    long t = window.size(0);
                    Tensor constants = window.narrow(0, t - 1, 1).narrow(2, nVar, channels - nVar);
                    Tensor newest = Tensor.cat(List.of(frame.to(window.dtype()), constants), 2);
                    next = scope.keep(Tensor.cat(List.of(window.narrow(0, 1, t - 1), newest), 0));
                    frames.add(scope.keep(frame));
                }
                window = next;
                if (listener != null && !listener.onStep(step, frames.get(frames.size() - 1))) break;
            }
            Tensor all = frames.isEmpty()
                    ? Tensor.zeros(start.raw().dtype(), start.raw().device(), 0, window.size(1), nVar,
                            window.size(3), window.size(4), window.size(5))
                    : Tensor.cat(frames, 0);
            return new Result(outer.keep(all), diverged);
        }
    }
}
