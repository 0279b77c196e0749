package org.walrusjava.tensor;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The outputs of the fp32 CPU projections of one checkpointed segment, kept from its first forward pass so that the
 * re-run before its backward pass takes them instead of multiplying again (selective activation checkpointing).
 *
 * <p>Why: a recomputed segment costs a whole second forward pass, and the projections are most of its arithmetic
 * (about 28 C^2 multiply-adds per token and block against a few C for the norms, RoPE, SwiGLU and the residuals),
 * while their outputs are a minority of what plain backpropagation keeps. Kept, the re-run only redoes the norms,
 * the attention and the element-wise steps; each kept output is attached to the graph as a
 * {@link RecordedRowSplitLinear} product whose input and weight gradients are computed as usual.
 *
 * <p>Use: {@code try (var r = tape.record()) {first pass, no gradients}}, later
 * {@code try (var r = tape.replay()) {the same calls, recorded}}, inside a {@link RowSplitBackward} region, and close
 * the tape when the segment's backward pass is done (or abandoned). The re-run must make the same projections in the
 * same order, which the recomputation of a segment does by construction; a mismatch is a bug and fails loudly.
 */
public final class ProjectionTape implements AutoCloseable {
    private static final ThreadLocal<ProjectionTape> ACTIVE = new ThreadLocal<>();
    private final List<org.bytedeco.pytorch.Tensor> outputs = new ArrayList<>();
    private boolean replaying;
    private int next;

    /** Switches the tape on for the calling thread until the returned handle is closed. */
    public interface Use extends AutoCloseable {
        @Override
        void close();
    }

    public Use record() {
        if (replaying || !outputs.isEmpty()) throw new IllegalStateException("a projection tape is recorded once");
        return activate();
    }

    public Use replay() {
        if (replaying) throw new IllegalStateException("a projection tape is replayed once");
        replaying = true;
        Use on = activate();
        return () -> {
            on.close();
            if (next != outputs.size())
                throw new IllegalStateException("the re-run made " + next + " of the " + outputs.size()
                        + " projections of its first pass");
        };
    }

    private Use activate() {
        ProjectionTape outer = ACTIVE.get();
        ACTIVE.set(this);
        return () -> ACTIVE.set(outer);
    }

    static ProjectionTape active() {
        return ACTIVE.get();
    }

    /** The projections a tape holds: fp32 on the CPU without autocast, whatever their size. */
    static boolean takes(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w, org.bytedeco.pytorch.Tensor b) {
        return x.is_cpu() && w.is_cpu() && w.dim() == 2 && x.dim() >= 2 && RowSplitLinear.isFloat32(x)
                && RowSplitLinear.isFloat32(w) && (b == null || RowSplitLinear.isFloat32(b))
                && !torch.is_autocast_enabled(torch.DeviceType.CPU);
    }

    /** While recording: computes and keeps {@code x W^T + b}. While replaying: the kept product, on the graph. */
    org.bytedeco.pytorch.Tensor linear(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                       org.bytedeco.pytorch.Tensor b) {
        if (!replaying) {
            long[] shape = x.sizes().vec().get();
            shape[shape.length - 1] = w.size(0);
            FlopCount.add((double) x.numel() * w.size(0));
            // Kept as the 2-D product itself, not a view of it: the re-run adds to it in place with gradients on,
            // which libtorch refuses for a view made without them.
            org.bytedeco.pytorch.Tensor y;
            try (AutoGradMode off = new AutoGradMode(false);
                 org.bytedeco.pytorch.Tensor rows = x.reshape(-1, x.size(-1)).contiguous()) {
                y = RowSplitLinear.applies(x, w, b) ? RowSplitLinear.product(rows, w.t(), b)
                        : torch.linear(rows, w, b == null ? new TensorOptional() : new TensorOptional(b));
            }
            try (PointerScope own = new PointerScope()) {
                outputs.add(new org.bytedeco.pytorch.Tensor(y).retainReference());
            }
            return y.reshape(shape);
        }
        if (next == outputs.size())
            throw new IllegalStateException("the re-run makes more projections than its first pass");
        org.bytedeco.pytorch.Tensor kept = outputs.get(next);
        long rows = x.numel() / x.size(-1);
        if (kept.size(0) != rows || kept.size(1) != w.size(0))
            throw new IllegalStateException("projection " + next + " of the re-run makes " + rows + " x " + w.size(0)
                    + " values, its first pass " + kept.size(0) + " x " + kept.size(1));
        outputs.set(next++, null);
        org.bytedeco.pytorch.Tensor y = new org.bytedeco.pytorch.Tensor(kept);
        kept.releaseReference();
        return Autograd.records(x, w, b) ? RecordedRowSplitLinear.attach(x, w, b, y) : y;
    }

    /** Frees the outputs not taken (all of them when the re-run never came). */
    @Override
    public void close() {
        for (org.bytedeco.pytorch.Tensor t : outputs) if (t != null) t.releaseReference();
        outputs.clear();
    }
}
