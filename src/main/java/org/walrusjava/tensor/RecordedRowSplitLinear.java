package org.walrusjava.tensor;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.FunctionPostHook;
import org.bytedeco.pytorch.TensorVector;

/**
 * A projection {@code y = x W^T + b} that autograd records, with the forward product and both gradient products
 * (dX = dY W and dW = dY^T X) split by rows across every core like {@link RowSplitLinear}.
 *
 * <p>Why: libtorch computes a recorded linear and its backward with the bundled OpenBLAS, which walrus-java holds to
 * one thread (see {@link NativeRuntime}), so a training step ran its GEMMs, two thirds of them in the backward, on one
 * core of two while the other spun in OpenMP's wait loop (perf on a medium step: 33% in sgemm, 28% in libgomp's spin).
 * The bindings offer no custom autograd function, so the product is attached to the graph with what they do offer,
 * node hooks:
 * <ol>
 * <li>y is computed without recording, then a zero that depends on every operand that needs a gradient,
 *     {@code 0 * (sum(x) + sum(W) + sum(b))}, is added to it in place: y now has a grad_fn, and the graph reaches x,
 *     W and b through one cheap reduction each, whose own gradient is only a broadcast view.</li>
 * <li>A post-hook on y's grad_fn sees dY first (every path to the operands runs through it) and computes the three
 *     gradients on the row-split workers.</li>
 * <li>A post-hook on each sum's grad_fn replaces the broadcast zero it produced with that operand's gradient, which
 *     then flows on to x's producer, or into W.grad and b.grad, as libtorch's own linear would have sent it.</li>
 * </ol>
 * The zero multiplies sums, so an operand holding inf or NaN makes every element of y NaN rather than some: training
 * stops as diverged either way. This path is taken only inside a {@link RowSplitBackward} region, which keeps each
 * product (its hooks and operands) until its gradients are handed on.
 */
final class RecordedRowSplitLinear {
    private RecordedRowSplitLinear() {}

    static org.bytedeco.pytorch.Tensor apply(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                             org.bytedeco.pytorch.Tensor b) {
        return attach(x, w, b, null);
    }

    /**
     * Puts {@code y}, the product {@code x W^T + b} computed earlier without recording (see {@link ProjectionTape}),
     * or, when null, one computed now, on the graph as described above; y is modified in place.
     */
    static org.bytedeco.pytorch.Tensor attach(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                              org.bytedeco.pytorch.Tensor b, org.bytedeco.pytorch.Tensor y) {
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = w.size(0);
        RowSplitBackward region = RowSplitBackward.current();
        if (region == null)
            throw new IllegalStateException("a recorded row-split projection outside a RowSplitBackward region");
        Product p = new Product(x, w, b, region);
        if (y == null) {
            try (AutoGradMode off = new AutoGradMode(false)) {
                y = RowSplitLinear.product(p.rows, p.weight.t(), p.bias);
            }
        }
        org.bytedeco.pytorch.Tensor anchor = null;
        List<org.bytedeco.pytorch.Tensor> sums = new ArrayList<>();
        for (Operand o : Operand.values()) {
            org.bytedeco.pytorch.Tensor source = o.of(x, w, b);
            if (source == null || !source.requires_grad()) continue;
            org.bytedeco.pytorch.Tensor sum = source.sum();
            // replaces the broadcast zero this sum's node produced by the operand's gradient, put in the engine's
            // own list so that no handle of ours outlives the call
            sum.grad_fn().add_post_hook(p.hook(new NodePostHook((produced, received) -> {
                org.bytedeco.pytorch.Tensor g = p.handOn(o);
                produced.put(0, g);
                g.releaseReference();
                return produced;
            })));
            sums.add(sum);
            anchor = anchor == null ? sum : anchor.add(sum);
        }
        y.add_(anchor.mul(new org.bytedeco.pytorch.Scalar(0.0)));
        // y's node receives dY before any path to the operands runs
        y.grad_fn().add_post_hook(p.hook(new NodePostHook((produced, received) -> {
            p.compute(received);
            return produced;
        })));
        region.add(p);
        return y.reshape(shape);
    }

    private enum Operand {
        INPUT, WEIGHT, BIAS;

        org.bytedeco.pytorch.Tensor of(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                       org.bytedeco.pytorch.Tensor b) {
            return switch (this) {
                case INPUT -> x;
                case WEIGHT -> w;
                case BIAS -> b;
            };
        }
    }

    /** What one recorded product keeps for its backward: the operands, then the gradients until handed on. */
    static final class Product {
        private org.bytedeco.pytorch.Tensor rows;
        private org.bytedeco.pytorch.Tensor weight;
        private org.bytedeco.pytorch.Tensor bias;
        private final long[] inputShape;
        private final boolean[] wanted = new boolean[Operand.values().length];
        private final org.bytedeco.pytorch.Tensor[] gradients = new org.bytedeco.pytorch.Tensor[Operand.values().length];
        private final List<FunctionPostHook> hooks = new ArrayList<>();
        private final RowSplitBackward region;
        private int handedOn;

        Product(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w, org.bytedeco.pytorch.Tensor b,
                RowSplitBackward region) {
            this.region = region;
            inputShape = x.sizes().vec().get();
            try (AutoGradMode off = new AutoGradMode(false)) {
                rows = unscoped(x.detach().reshape(-1, x.size(-1)).contiguous());
                weight = unscoped(w.detach());
                bias = b == null ? null : unscoped(b.detach());
            }
            for (Operand o : Operand.values()) {
                org.bytedeco.pytorch.Tensor source = o.of(x, w, b);
                wanted[o.ordinal()] = source != null && source.requires_grad();
            }
        }

        /** The hook, now owned by the node it is added to (which frees it), kept reachable here until it has run. */
        FunctionPostHook hook(FunctionPostHook h) {
            h.deallocate(false);
            hooks.add(h);
            return h;
        }

        /**
         * The gradients from dY, held by handles of their own until handed on. Everything else made here goes with the
         * scope: handles left to the caller's scope would keep every layer's gradients alive until the whole backward
         * pass ends (measured: 1.5 GB more for a medium step).
         */
        void compute(TensorVector gradOutputs) {
            if (rows == null)
                throw new IllegalStateException("backward through a row-split projection after its region closed");
            try (PointerScope scope = new PointerScope()) {
                org.bytedeco.pytorch.Tensor dRows = gradOutputs.get(0).reshape(-1, weight.size(0)).contiguous();
                if (wanted[Operand.INPUT.ordinal()])
                    gradients[Operand.INPUT.ordinal()] =
                            kept(RowSplitLinear.product(dRows, weight, null).reshape(inputShape));
                if (wanted[Operand.WEIGHT.ordinal()])
                    gradients[Operand.WEIGHT.ordinal()] = kept(RowSplitLinear.product(dRows.t(), rows, null));
                if (wanted[Operand.BIAS.ordinal()]) gradients[Operand.BIAS.ordinal()] = kept(dRows.sum(0));
            }
            release();
        }

        /** Frees the operands once the gradients are computed. */
        private void release() {
            for (org.bytedeco.pytorch.Tensor t : new org.bytedeco.pytorch.Tensor[] {rows, weight, bias})
                if (t != null) t.releaseReference();
            rows = weight = bias = null;
        }

        /** Frees whatever is still held: the region closed without a backward pass, or in the middle of one. */
        void discard() {
            release();
            for (int i = 0; i < gradients.length; i++) {
                if (gradients[i] != null) gradients[i].releaseReference();
                gradients[i] = null;
            }
        }

        org.bytedeco.pytorch.Tensor handOn(Operand o) {
            org.bytedeco.pytorch.Tensor g = gradients[o.ordinal()];
            gradients[o.ordinal()] = null;
            if (++handedOn == count()) region.done(this);
            return g;
        }

        private int count() {
            int n = 0;
            for (boolean w : wanted) if (w) n++;
            return n;
        }
    }

    /** A handle held past the scope it was made in (which then drops its own reference); released by its holder. */
    private static org.bytedeco.pytorch.Tensor kept(org.bytedeco.pytorch.Tensor t) {
        return t.retainReference();
    }

    /** A handle in no scope, so that it outlives the forward stage that made it; {@link #release} frees it. */
    private static org.bytedeco.pytorch.Tensor unscoped(org.bytedeco.pytorch.Tensor t) {
        try (PointerScope own = new PointerScope()) {
            return new org.bytedeco.pytorch.Tensor(t).retainReference();
        }
    }
}
