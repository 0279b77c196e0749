package org.walrusjava.nn;

import java.util.List;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * Axial rotary position embedding on a 3-D token grid ("pixel" frequencies). Each axis contributes
 * 2*freqs.length rotated dims, in (h, w, d) order, to the head's leading dims; the rest stay unrotated.
 * Positions are linspace(-1, 1, n) per axis; a singleton axis sits at -1 and its rotation cancels in q.k
 * because every token shares it. Pairs are interleaved: (x[2j], x[2j+1]).
 */
public final class AxialRope extends Module {
    private final Slot freqs;

    public AxialRope(int nFreqs) {
        freqs = buffer("freqs", nFreqs);
    }

    /** Rotation angles (h, w, d, 6*nFreqs) for a token grid, each frequency repeated twice. */
    private Tensor angles(long h, long w, long d) {
        Tensor f = freqs.get().to(DType.FLOAT32);
        long nf = f.size(0);
        long[] n = {h, w, d};
        Tensor[] perAxis = new Tensor[3];
        for (int a = 0; a < 3; a++) {
            Tensor pos = Tensor.linspace(-1, 1, n[a], f.device());
            Tensor ang = pos.unsqueeze(1).mul(f.unsqueeze(0)); // (n, nf)
            ang = ang.unsqueeze(2).expand(n[a], nf, 2).reshape(n[a], 2 * nf);
            long[] shape = {1, 1, 1, 2 * nf};
            shape[a] = n[a];
            perAxis[a] = ang.reshape(shape).expand(h, w, d, 2 * nf);
        }
        return Tensor.cat(List.of(perAxis), 3);
    }

    /**
     * The rotation of every token of an h x w x d grid for heads of {@code headDim} dims: cos and sin per (h, w, d,
     * headDim), with each pair's sign folded into sin and the identity (cos 1, sin 0) past the rotated dims.
     */
    public Rotation rotation(long h, long w, long d, long headDim) {
        Tensor angles = angles(h, w, d);
        long rot = angles.size(-1);
        Tensor sign = Tensor.of(new float[] {-1, 1}, 2).repeat(rot / 2).to(angles.device());
        Tensor cos = angles.cos(), sin = angles.sin().mul(sign);
        if (rot < headDim) {
            DType f32 = DType.FLOAT32;
            cos = Tensor.cat(List.of(cos, Tensor.ones(f32, angles.device(), h, w, d, headDim - rot)), 3);
            sin = Tensor.cat(List.of(sin, Tensor.zeros(f32, angles.device(), h, w, d, headDim - rot)), 3);
        }
        return new Rotation(cos, sin);
    }

    /** cos and signed sin of every token and dim; see {@link #rotation}. */
    public record Rotation(Tensor cos, Tensor sin) {
        /**
         * Rotates x (..., h, w, d, headDim) in float32: pair (a, b) becomes (a cos - b sin, b cos + a sin), written
         * as x cos + (x with each pair swapped) sin. The rotated pairs give the same bits as rotating the leading
         * dims alone; the others are multiplied by 1 and added to 0. Four passes over x, and four in the backward
         * pass, where slicing out the rotated dims, negating, stacking and concatenating took twice as many.
         */
        public Tensor apply(Tensor x) {
            Tensor xf = x.to(DType.FLOAT32);
            long[] shape = xf.shape();
            Tensor swapped = xf.reshape(withLast(shape, shape[shape.length - 1] / 2, 2)).flip(-1).reshape(shape);
            return xf.mul(cos).add(swapped.mul(sin)).to(x.dtype());
        }
    }

    private static long[] withLast(long[] shape, long a, long b) {
        long[] s = java.util.Arrays.copyOf(shape, shape.length + 1);
        s[shape.length - 1] = a;
        s[shape.length] = b;
        return s;
    }
}
