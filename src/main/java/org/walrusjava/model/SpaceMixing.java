package org.walrusjava.model;

import org.walrusjava.nn.AxialRope;
import org.walrusjava.nn.LayerNorm;
import org.walrusjava.nn.Linear;
import org.walrusjava.nn.Module;
import org.walrusjava.nn.RmsNorm;
import org.walrusjava.tensor.Tensor;

/**
 * Full attention over all tokens of a time slice in parallel with a SwiGLU MLP (spec §1.4, "FullAttention"):
 * one fused projection gives [ff | q | k | v] with heads contiguous inside q, k and v; queries and keys get
 * QK-LayerNorm and axial RoPE on their first 3 x (headDim / 4) dims. Works on channels-last tokens.
 */
final class SpaceMixing extends Module {
    private final RmsNorm norm1;
    private final Linear fusedFfQkv;
    private final Linear ffOut;
    private final Linear attnOut;
    private final LayerNorm qNorm;
    private final LayerNorm kNorm;
    private final AxialRope rope;
    private final int heads;
    private final int headDim;
    private final int mlpDim;

    SpaceMixing(WalrusConfig c) {
        int hidden = c.hiddenDim();
        heads = c.spaceHeads();
        headDim = hidden / heads;
        mlpDim = 4 * hidden;
        norm1 = child("norm1", new RmsNorm(hidden));
        fusedFfQkv = child("fused_ff_qkv", new Linear(hidden, mlpDim + 3 * hidden, true));
        ffOut = child("ff_out", new Linear(mlpDim / 2, hidden, true));
        attnOut = child("attn_out", new Linear(hidden, hidden, false));
        qNorm = child("q_norm", new LayerNorm(headDim));
        kNorm = child("k_norm", new LayerNorm(headDim));
        rope = child("rotary_emb", new AxialRope(headDim / 4 / 2));
    }

    Tensor forward(Tensor x, DropPath dropPath) {
        long[] s = x.shape(); // T, B, h, w, d, C
        long t = s[0], b = s[1], h = s[2], w = s[3], d = s[4], c = s[5];
        // [ff value | ff gate | q | k | v] in one split: its backward writes one gradient, five narrows would each
        // allocate and add one the size of the whole projection.
        Tensor[] parts = fusedFfQkv.forward(SpatialNorm.apply(norm1, x, 2)).split(5, mlpDim / 2, mlpDim / 2, c, c, c);
        Tensor value = parts[0], gate = parts[1];
        Tensor q = heads(parts[2], qNorm);
        Tensor k = heads(parts[3], kNorm);
        Tensor v = heads(parts[4], null);
        AxialRope.Rotation rotation = rope.rotation(h, w, d, headDim);
        long n = h * w * d;
        q = rotation.apply(q).reshape(t * b, heads, n, headDim);
        k = rotation.apply(k).reshape(t * b, heads, n, headDim);
        v = v.reshape(t * b, heads, n, headDim);
        Tensor att = Tensor.attention(q, k, v, null, 1.0 / Math.sqrt(headDim))
                .transpose(1, 2)
                .reshape(t, b, h, w, d, c);
        Tensor mlp = ffOut.forward(value.mul(gate.silu()));
        return x.add(dropPath.apply(attnOut.forward(att).add(mlp), 2));
    }

    /** (T, B, h, w, d, C) -> (T*B, heads, h, w, d, headDim), optionally LayerNorm'ed per head. */
    private Tensor heads(Tensor x, LayerNorm norm) {
        long[] s = x.shape();
        Tensor y = x.reshape(s[0] * s[1], s[2], s[3], s[4], heads, headDim).permute(0, 4, 1, 2, 3, 5);
        return norm == null ? y : norm.forward(y);
    }
}
