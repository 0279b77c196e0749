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
import org.walrusjava.tensor.RowSplitBackward;
import org.walrusjava.tensor.Tensor;

/**
 * The loss of one micro-batch and its gradient, accumulated into the parameters' .grad, optionally with
 * activation checkpointing: the processor blocks run in segments of k blocks without recording a graph, keeping
 * only each segment's input; the backward pass then re-runs one segment at a time with gradients from that
 * saved input and pushes the incoming gradient through it. Memory for activations then grows with k plus the
 * number of segments instead of with the depth, at the price of a second forward pass through the blocks.
 * Drop-path masks are reproduced in the re-run by restoring the random generator's state of the first run.
 *
 * <p>Every stage runs in its own native scope that keeps only its output: the graph holds what backward needs,
 * and every other intermediate is freed as soon as its stage ends (Java handles would otherwise keep all of them
 * alive until the micro-batch ends, which would undo what checkpointing saves).
 */
public final class Backpropagation {
    private Backpropagation() {}

    /**
     * @param gradScale the loss is multiplied by this before backward (1 / accumulation steps)
     * @param checkpointEvery blocks per recomputed segment; 0 keeps every activation (plain backward)
     * @param autocast lower precision for the forward computations (autocast), or null for none; backward
     *     passes run outside autocast, as PyTorch recommends
     * @return the loss of this micro-batch, unscaled
     */
    public static Loss.Result run(WalrusModel model, Batch batch, Rolls rolls, int minimumContext, double gradScale,
            int checkpointEvery, DType autocast) {
        return run(model, batch, rolls, minimumContext, gradScale, checkpointEvery, autocast, new StepPhases());
    }

    /** As {@link #run(WalrusModel, Batch, Rolls, int, double, int, DType)}, adding the time of each phase to {@code phases}. */
    public static Loss.Result run(WalrusModel model, Batch batch, Rolls rolls, int minimumContext, double gradScale,
            int checkpointEvery, DType autocast, StepPhases phases) {
        // The fp32 projections' gradient products then run on every core, not on libtorch's single-threaded BLAS.
        try (RowSplitBackward region = RowSplitBackward.open()) {
            return backpropagate(model, batch, rolls, minimumContext, gradScale, checkpointEvery, autocast, phases);
        }
    }

    private static Loss.Result backpropagate(WalrusModel model, Batch batch, Rolls rolls, int minimumContext,
            double gradScale, int checkpointEvery, DType autocast, StepPhases phases) {
        long started = System.nanoTime();
        Loss.Prepared p = Loss.prepare(batch, model);
        Device device = p.input().device();
        WalrusModel.Pass pass;
        try (NativeScope scope = NativeScope.open()) {
            pass = forward(device, autocast, () -> model.encode(p.input(), batch.labels(), batch.bcs(), rolls, null));
            scope.keep(pass.tokens());
        }
        boolean checkpointing = checkpointEvery > 0;
        int segment = checkpointing ? checkpointEvery : 1;
        List<Segment> segments = new ArrayList<>();
        Tensor h = pass.tokens();
        for (int from = 0; from < model.blockCount(); from += segment) {
            Segment seg = new Segment(from, Math.min(model.blockCount(), from + segment), h.detach(),
                    checkpointing ? Tensor.generatorState(device).copy() : null);
            Tensor in = checkpointing ? seg.input : h;
            try (Autograd grad = checkpointing ? Autograd.off() : Autograd.on(); NativeScope scope = NativeScope.open()) {
                h = scope.keep(forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, in)));
            }
            if (checkpointing) segments.add(seg);
        }
        Tensor blocksOut = checkpointing ? h.detach().requiresGrad(true) : h;
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
        if (!checkpointing) return r;

        long recomputeStarts = System.nanoTime();

        Tensor grad = blocksOut.grad();
        Tensor resumeState = Tensor.generatorState(device).copy();
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment seg = segments.get(s);
            try (NativeScope scope = NativeScope.open()) {
                Tensor input = seg.input.detach().requiresGrad(true);
                Tensor.setGeneratorState(device, seg.generatorState);
                Tensor incoming = grad;
                forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, input)).backward(incoming);
                grad = scope.keep(input.grad());
            }
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

    private record Segment(int from, int to, Tensor input, Tensor generatorState) {}
}
