package org.walrusjava.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autocast;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.ProjectionTape;
import org.walrusjava.tensor.RowSplitBackward;
import org.walrusjava.tensor.Tensor;

/**
 * The loss of one micro-batch and its gradient, accumulated into the parameters' .grad, optionally with
 * activation checkpointing: the processor blocks run in segments of k blocks without recording a graph, keeping
 * only each segment's input; the backward pass then re-runs one segment at a time with gradients from that
 * saved input and pushes the incoming gradient through it. Memory for activations then grows with k plus the
 * number of segments instead of with the depth, at the price of a second forward pass through the blocks.
 * Drop-path masks are reproduced in the re-run by restoring the random generator's state of the first run.
 * Selective checkpointing also keeps each segment's projection outputs ({@link ProjectionTape}), so that the re-run
 * costs only the norms, attention and element-wise steps, for more memory than full recomputation.
 *
 * <p>Every stage runs in its own native scope that keeps only its output: the graph holds what backward needs,
 * and every other intermediate is freed as soon as its stage ends (Java handles would otherwise keep all of them
 * alive until the micro-batch ends, which would undo what checkpointing saves).
 */
public final class Backpropagation {
    private Backpropagation() {}

    /**
     * Makes the weights of processor blocks [from, to) present just before they run and lets them go right after
     * (fsdp's sharding, {@link BlockWeightShards}); called around each checkpointed segment's first pass and around
     * its re-run with its backward pass, after which the segment's gradients are told done.
     */
    public interface BlockWeights {
        /** Every weight is always present. */
        BlockWeights PRESENT = new BlockWeights() {
            @Override
            public void gather(int from, int to) {}

            @Override
            public void release(int from, int to) {}

            @Override
            public void gradientsDone(int from, int to) {}
        };

        void gather(int from, int to);

        void release(int from, int to);

        /** The backward pass has put this micro-batch's gradients into the weights of blocks [from, to). */
        void gradientsDone(int from, int to);
    }

    /**
     * @param gradScale the loss is multiplied by this before backward (1 / accumulation steps)
     * @param checkpointing which activations are recomputed ({@link ActivationCheckpointing#OFF}: none)
     * @param autocast lower precision for the forward computations (autocast), or null for none; backward
     *     passes run outside autocast, as PyTorch recommends
     * @return the loss of this micro-batch, unscaled
     */
    public static Loss.Result run(WalrusModel model, Batch batch, Rolls rolls, int minimumContext, double gradScale,
            ActivationCheckpointing checkpointing, DType autocast) {
        return run(model, batch, rolls, minimumContext, gradScale, checkpointing, autocast, new StepPhases(),
                BlockWeights.PRESENT);
    }

    /**
     * As {@link #run(WalrusModel, Batch, Rolls, int, double, ActivationCheckpointing, DType)}, adding the time of each
     * phase to {@code phases}, with the blocks' weights made present by {@code weights} while checkpointed segments
     * run (without checkpointing they must all be present).
     */
    public static Loss.Result run(WalrusModel model, Batch batch, Rolls rolls, int minimumContext, double gradScale,
            ActivationCheckpointing checkpointing, DType autocast, StepPhases phases, BlockWeights weights) {
        // The fp32 projections' gradient products then run on every core, not on libtorch's single-threaded BLAS.
        try (RowSplitBackward region = RowSplitBackward.open()) {
            return backpropagate(model, batch, rolls, minimumContext, gradScale, checkpointing, autocast, phases,
                    weights);
        }
    }

    private static Loss.Result backpropagate(WalrusModel model, Batch batch, Rolls rolls, int minimumContext,
            double gradScale, ActivationCheckpointing checkpointing, DType autocast, StepPhases phases,
            BlockWeights weights) {
        List<Segment> segments = new ArrayList<>();
        try {
            return backpropagate(model, batch, rolls, minimumContext, gradScale, checkpointing, autocast, phases,
                    checkpointing.on() ? weights : BlockWeights.PRESENT, segments);
        } finally {
            for (Segment seg : segments) if (seg.tape != null) seg.tape.close();
        }
    }

    private static Loss.Result backpropagate(WalrusModel model, Batch batch, Rolls rolls, int minimumContext,
            double gradScale, ActivationCheckpointing checkpointing, DType autocast, StepPhases phases,
            BlockWeights weights, List<Segment> segments) {
        long started = System.nanoTime();
        Loss.Prepared p = Loss.prepare(batch, model);
        Device device = p.input().device();
        WalrusModel.Pass pass;
        try (NativeScope scope = NativeScope.open()) {
            pass = forward(device, autocast, () -> model.encode(p.input(), batch.labels(), batch.bcs(), rolls, null));
            scope.keep(pass.tokens());
        }
        boolean recompute = checkpointing.on();
        int segment = recompute ? checkpointing.every() : 1;
        Tensor h = pass.tokens();
        for (int from = 0; from < model.blockCount(); from += segment) {
            Segment seg = new Segment(from, Math.min(model.blockCount(), from + segment), h.detach(),
                    recompute ? Tensor.generatorState(device).copy() : null,
                    checkpointing.selective() ? new ProjectionTape() : null);
            if (recompute) segments.add(seg);
            Tensor in = recompute ? seg.input : h;
            weights.gather(seg.from, seg.to);
            try (Autograd grad = recompute ? Autograd.off() : Autograd.on(); NativeScope scope = NativeScope.open();
                 ProjectionTape.Use tape = seg.tape != null ? seg.tape.record() : null) {
                h = scope.keep(forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, in)));
            }
            weights.release(seg.from, seg.to);
        }
        Tensor blocksOut = recompute ? h.detach().requiresGrad(true) : h;
        Loss.Result r;
        try (NativeScope scope = NativeScope.open()) {
            r = forward(device, autocast, () -> {
                Tensor out = model.decode(pass, blocksOut).to(DType.FLOAT32);
                return Loss.compute(out, p.targets(), batch.realChannel(), minimumContext);
            });
            scope.keep(r.lossX100());
            scope.keep(r.perSampleStepFieldMae());
            long backwardStarts = System.nanoTime();
            phases.add(StepPhases.Phase.FORWARD, backwardStarts - started);
            r.lossX100().mul(gradScale).sum().backward();
            phases.add(StepPhases.Phase.BACKWARD, System.nanoTime() - backwardStarts);
        }
        if (!recompute) return r;

        long recomputeStarts = System.nanoTime();
        Tensor grad = blocksOut.grad();
        Tensor resumeState = Tensor.generatorState(device).copy();
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment seg = segments.get(s);
            weights.gather(seg.from, seg.to);
            try (NativeScope scope = NativeScope.open()) {
                Tensor input = seg.input.detach().requiresGrad(true);
                Tensor.setGeneratorState(device, seg.generatorState);
                Tensor out;
                try (ProjectionTape.Use tape = seg.tape != null ? seg.tape.replay() : null) {
                    out = forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, input));
                }
                out.backward(grad);
                grad = scope.keep(input.grad());
            }
            if (seg.tape != null) seg.tape.close();
            weights.gradientsDone(seg.from, seg.to);
            weights.release(seg.from, seg.to);
        }
        Tensor.setGeneratorState(device, resumeState);
        pass.tokens().backward(grad);
        phases.add(StepPhases.Phase.BACKWARD, System.nanoTime() - recomputeStarts);
        return r;
    }

    private static <T> T forward(Device device, DType autocast, Supplier<T> body) {
        if (autocast == null) return body.get();
        try (Autocast a = Autocast.on(device, autocast)) {
            return body.get();
        }
    }

    private record Segment(int from, int to, Tensor input, Tensor generatorState, ProjectionTape tape) {}
}
