package org.walrusjava.train;

import java.util.ArrayList;
import java.util.List;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autocast;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * The loss of one micro-batch and its gradient, accumulated into the parameters' .grad, optionally with
 * activation checkpointing: the processor blocks run in segments of k blocks without recording a graph, keeping
 * only each segment's input; the backward pass then re-runs one segment at a time with gradients from that
 * saved input and pushes the incoming gradient through it. Memory for activations then grows with k plus the
 * number of segments instead of with the depth, at the price of a second forward pass through the blocks.
 * Drop-path masks are reproduced in the re-run by restoring the random generator's state of the first run.
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
        Loss.Prepared p = Loss.prepare(batch, model.dtype());
        Device device = p.input().device();
        if (checkpointEvery <= 0) {
            Loss.Result r = forward(device, autocast, () -> {
                Tensor out = model.forward(p.input(), batch.labels(), batch.bcs(), rolls).to(DType.FLOAT32);
                return Loss.compute(out, p.targets(), batch.realChannel(), minimumContext);
            });
            r.lossX100().mul(gradScale).sum().backward();
            return r;
        }
        WalrusModel.Pass pass = forward(device, autocast, () -> model.encode(p.input(), batch.labels(), batch.bcs(), rolls, null));
        List<Segment> segments = new ArrayList<>();
        Tensor h = pass.tokens();
        try (Autograd off = Autograd.off()) {
            for (int from = 0; from < model.blockCount(); from += checkpointEvery) {
                Segment seg = new Segment(from, Math.min(model.blockCount(), from + checkpointEvery), h.detach(),
                        Tensor.generatorState(device).copy());
                segments.add(seg);
                h = forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, seg.input));
            }
        }
        Tensor blocksOut = h.detach().requiresGrad(true);
        Loss.Result r = forward(device, autocast, () -> {
            Tensor out = model.decode(pass, blocksOut).to(DType.FLOAT32);
            return Loss.compute(out, p.targets(), batch.realChannel(), minimumContext);
        });
        r.lossX100().mul(gradScale).sum().backward();

        Tensor grad = blocksOut.grad();
        Tensor resumeState = Tensor.generatorState(device).copy();
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment seg = segments.get(s);
            Tensor input = seg.input.detach().requiresGrad(true);
            Tensor.setGeneratorState(device, seg.generatorState);
            forward(device, autocast, () -> model.runBlocks(pass, seg.from, seg.to, input)).backward(grad);
            grad = input.grad();
        }
        Tensor.setGeneratorState(device, resumeState);
        pass.tokens().backward(grad);
        return r;
    }

    private static <T> T forward(Device device, DType autocast, java.util.function.Supplier<T> body) {
        if (autocast == null) return body.get();
        try (Autocast a = Autocast.on(device, autocast)) {
            return body.get();
        }
    }

    private record Segment(int from, int to, Tensor input, Tensor generatorState) {}
}
