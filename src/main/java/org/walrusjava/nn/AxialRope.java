package org.walrusjava.nn;

import java.util.List;
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
    public Tensor angles(long h, long w, long d) {
        Tensor f = freqs.get().to(org.walrusjava.tensor.DType.FLOAT32);
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

    /** Rotates the leading angles.size(-1) dims of x (..., h, w, d, headDim) in float32. */
    public static Tensor apply(Tensor angles, Tensor x) {
        long rot = angles.size(-1);
        long headDim = x.size(-1);
        Tensor xf = x.to(org.walrusjava.tensor.DType.FLOAT32);
        Tensor part = xf.narrow(-1, 0, rot);
        Tensor pairs = part.reshape(withLast(part.shape(), rot / 2, 2));
        Tensor even = pairs.select(-1, 0);
        Tensor odd = pairs.select(-1, 1);
        Tensor rotatedHalf = Tensor.stack(List.of(odd.neg(), even), -1).reshape(part.shape());
        Tensor out = part.mul(angles.cos()).add(rotatedHalf.mul(angles.sin()));
        if (rot < headDim) out = Tensor.cat(List.of(out, xf.narrow(-1, rot, headDim - rot)), -1);
        return out.to(x.dtype());
    }

    private static long[] withLast(long[] shape, long a, long b) {
        long[] s = java.util.Arrays.copyOf(shape, shape.length + 1);
        s[shape.length - 1] = a;
        s[shape.length] = b;
        return s;
    }
}
