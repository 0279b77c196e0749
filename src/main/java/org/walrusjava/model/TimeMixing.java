package org.walrusjava.model;

import org.walrusjava.nn.LayerNorm;
import org.walrusjava.nn.Module;
import org.walrusjava.nn.PointwiseConv;
import org.walrusjava.nn.RelativePositionBias;
import org.walrusjava.nn.RmsNorm;
import org.walrusjava.tensor.Tensor;

/**
 * Attention along time at every token position (spec §1.4, "AxialTimeAttention"), with a T5 relative bias that is
 * causal (future steps masked) when the model is causal in time and bidirectional otherwise, as upstream builds
 * its bias with {@code bidirectional = not causal_in_time}. Its fused projection lays out q, k, v per head
 * ([q|k|v] blocks of 3 x headDim), unlike the spatial block.
 * Works on channels-last tokens (T, B, h, w, d, C).
 */
final class TimeMixing extends Module {
    private final RmsNorm norm1;
    private final PointwiseConv inputHead;
    private final PointwiseConv outputHead;
    private final LayerNorm qnorm;
    private final LayerNorm knorm;
    private final RelativePositionBias relPosBias;
    private final int heads;
    private final int headDim;

    TimeMixing(WalrusConfig c) {
        heads = c.timeHeads();
        headDim = c.hiddenDim() / heads;
        norm1 = child("norm1", new RmsNorm(c.hiddenDim()));
        inputHead = child("input_head", new PointwiseConv(c.hiddenDim(), 3 * c.hiddenDim()));
        outputHead = child("output_head", new PointwiseConv(c.hiddenDim(), c.hiddenDim()));
        qnorm = child("qnorm", new LayerNorm(headDim));
        knorm = child("knorm", new LayerNorm(headDim));
        relPosBias = child("rel_pos_bias", new RelativePositionBias(32, heads, !c.causalInTime()));
    }

    Tensor forward(Tensor x, DropPath dropPath) {
        long[] s = x.shape(); // T, B, h, w, d, C
        long t = s[0], b = s[1], h = s[2], w = s[3], d = s[4], c = s[5];
        Tensor qkv = inputHead.forwardChannelsLast(SpatialNorm.apply(norm1, x, 2))
                .reshape(t, b, h, w, d, heads, 3, headDim)
                .permute(1, 2, 3, 4, 5, 0, 6, 7) // B, h, w, d, heads, T, 3, headDim
                .reshape(b * h * w * d, heads, t, 3, headDim);
        Tensor[] parts = qkv.unbind(3);
        Tensor q = qnorm.forward(parts[0]);
        Tensor k = knorm.forward(parts[1]);
        Tensor v = parts[2];
        Tensor bias = relPosBias.forward((int) t).to(q.dtype());
        Tensor att = Tensor.attention(q, k, v, bias, 1.0 / Math.sqrt(headDim)) // (N, heads, T, headDim)
                .reshape(b, h, w, d, heads, t, headDim)
                .permute(5, 0, 1, 2, 3, 4, 6)
                .reshape(t, b, h, w, d, c);
        return x.add(dropPath.apply(outputHead.forwardChannelsLast(att), 1));
    }
}
