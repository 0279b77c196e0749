package org.walrusjava.tensor;

import java.util.HashSet;
import java.util.Set;

/**
 * A region, on one thread, in which the fp32 projections that autograd records are computed, forward and backward, on
 * every core ({@link RecordedRowSplitLinear}); outside one they stay on libtorch's linear and autograd. Open it around
 * a forward pass together with its backward pass: {@code try (var r = RowSplitBackward.open()) {...; loss.backward();}}.
 *
 * <p>Why a region: the bindings hold only weak references to the Java side of an autograd hook, so each recorded
 * product is kept here, with the operands its backward needs, until its gradients have been handed on. A graph that is
 * dropped without a backward pass would otherwise keep its activations forever; the region frees whatever is left
 * when it closes, which is why it must enclose the backward pass.
 */
public final class RowSplitBackward implements AutoCloseable {
    private static final ThreadLocal<RowSplitBackward> OPEN = new ThreadLocal<>();
    private final RowSplitBackward outer;
    private final Set<RecordedRowSplitLinear.Product> pending = new HashSet<>();

    private RowSplitBackward(RowSplitBackward outer) {
        this.outer = outer;
    }

    public static RowSplitBackward open() {
        NativeRuntime.init();
        RowSplitBackward r = new RowSplitBackward(OPEN.get());
        OPEN.set(r);
        return r;
    }

    static RowSplitBackward current() {
        return OPEN.get();
    }

    void add(RecordedRowSplitLinear.Product p) {
        pending.add(p);
    }

    void done(RecordedRowSplitLinear.Product p) {
        pending.remove(p);
    }

    /** Recorded products whose gradients have not all been handed on yet (for tests). */
    int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        for (RecordedRowSplitLinear.Product p : pending) p.discard();
        pending.clear();
        OPEN.set(outer);
    }
}
