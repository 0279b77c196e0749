package org.walrusjava.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * Unpadded strided 3-D convolution and its transpose as a window gather and one matrix product: the walrus-java
 * kernel that {@link ConvolutionCheck} falls back to where libtorch's own kernel disagrees with a float64 reference.
 *
 * <p>Why this form: its arithmetic is a GEMM (the most tested kernel there is, and one that {@code walrus doctor}
 * checks on its own), and its gradients come from the same two operations (the gather's adjoint is libtorch's
 * {@code unfold_backward}, a plain scatter-add), so neither direction ever reaches oneDNN's convolutions. libtorch's
 * non-oneDNN convolutions are no substitute: their backward passes go through the same backend selection and land
 * in oneDNN again (measured on a Zen 5 CPU: {@code slow_conv_transpose3d}'s input gradient off by 6%).
 *
 * <p>The gathered windows are C_in x k^3 times the output positions; at inference they are built one slab of output
 * rows at a time to bound that memory ({@link #SLAB_ELEMENTS}). A recorded (training) call runs as one piece, since
 * autograd keeps the gathered windows for the weight gradient either way.
 */
final class UnfoldConvolution {
    /** Gathered-window elements per slab at inference: 128 MB in float32. */
    static final long SLAB_ELEMENTS = 1L << 25;

    private UnfoldConvolution() {}

    /** x (N, C_in, X, Y, Z), weight (C_out, C_in, kx, ky, kz), bias (C_out) or null. */
    static Tensor conv(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        long[] k = kernel(weight);
        long outRows = (x.size(2) - k[0]) / stride[0] + 1;
        long rowElements = x.size(1) * k[0] * k[1] * k[2] * x.size(0) * ((x.size(3) - k[1]) / stride[1] + 1)
                * ((x.size(4) - k[2]) / stride[2] + 1);
        long rowsPerSlab = slabRows(outRows, rowElements, x, weight, bias);
        if (rowsPerSlab == outRows) return convRows(x, weight, bias, stride, k);
        try (NativeScope s = NativeScope.open()) {
            Tensor out = null;
            for (long first = 0; first < outRows; first += rowsPerSlab) {
                long rows = Math.min(rowsPerSlab, outRows - first);
                try (NativeScope slab = NativeScope.open()) {
                    Tensor in = x.narrow(2, first * stride[0], (rows - 1) * stride[0] + k[0]);
                    Tensor part = convRows(in, weight, bias, stride, k);
                    if (out == null) {
                        long[] shape = part.shape();
                        shape[2] = outRows;
                        out = slab.keep(Tensor.empty(part.dtype(), part.device(), shape));
                    }
                    out.narrow(2, first, rows).copy_(part);
                }
            }
            return s.keep(out);
        }
    }

    private static Tensor convRows(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] k) {
        try (NativeScope s = NativeScope.open()) {
            long n = x.size(0), c = x.size(1), cOut = weight.size(0);
            Tensor windows = new Tensor(x.t.unfold(2, k[0], stride[0]).unfold(3, k[1], stride[1])
                    .unfold(4, k[2], stride[2]));                                  // (N, C, oX, oY, oZ, kx, ky, kz)
            long ox = windows.size(2), oy = windows.size(3), oz = windows.size(4);
            Tensor columns = windows.permute(0, 2, 3, 4, 1, 5, 6, 7).reshape(n * ox * oy * oz, c * k[0] * k[1] * k[2]);
            Tensor y = columns.linear(weight.reshape(cOut, c * k[0] * k[1] * k[2]), bias);
            return s.keep(y.reshape(n, ox, oy, oz, cOut).permute(0, 4, 1, 2, 3).contiguous());
        }
    }

    /**
     * x (N, C_in, X, Y, Z), weight (C_in, C_out, kx, ky, kz) as libtorch lays out a transposed convolution's weight,
     * bias (C_out) or null; the output has (X - 1) s + k points per axis.
     */
    static Tensor convTranspose(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        long[] k = kernel(weight);
        long inRows = x.size(2), cOut = weight.size(1);
        long rowElements = cOut * k[0] * k[1] * k[2] * x.size(0) * x.size(3) * x.size(4);
        long rowsPerSlab = slabRows(inRows, rowElements, x, weight, bias);
        DType dtype = Autocast.effective(x.device(), x.dtype());
        if (rowsPerSlab == inRows) return withBias(scatterRows(x, weight, stride, k).to(dtype), bias);
        try (NativeScope s = NativeScope.open()) {
            long[] outShape = {x.size(0), cOut, (inRows - 1) * stride[0] + k[0], (x.size(3) - 1) * stride[1] + k[1],
                    (x.size(4) - 1) * stride[2] + k[2]};
            Tensor sum = Tensor.zeros(accumulator(x.dtype()), x.device(), outShape);
            // Neighbouring slabs overlap by k - s output rows, so each slab is added, not copied.
            for (long first = 0; first < inRows; first += rowsPerSlab) {
                long rows = Math.min(rowsPerSlab, inRows - first);
                try (NativeScope slab = NativeScope.open()) {
                    Tensor part = scatterRows(x.narrow(2, first, rows), weight, stride, k);
                    sum.narrow(2, first * stride[0], part.size(2)).add_(part, 1.0);
                }
            }
            return s.keep(withBias(sum.to(dtype), bias));
        }
    }

    /** float32 for sums of reduced-precision products, so that rounding does not grow with the overlap. */
    private static DType accumulator(DType dtype) {
        return dtype == DType.FLOAT64 ? dtype : DType.FLOAT32;
    }

    /** The transposed convolution of a slab of input rows without bias, summed in the {@link #accumulator}. */
    private static Tensor scatterRows(Tensor x, Tensor weight, long[] stride, long[] k) {
        try (NativeScope s = NativeScope.open()) {
            long n = x.size(0), c = x.size(1), ix = x.size(2), iy = x.size(3), iz = x.size(4), cOut = weight.size(1);
            long ox = (ix - 1) * stride[0] + k[0], oy = (iy - 1) * stride[1] + k[1], oz = (iz - 1) * stride[2] + k[2];
            Tensor rows = x.permute(0, 2, 3, 4, 1).reshape(n * ix * iy * iz, c);
            Tensor products = rows.linear(weight.reshape(c, cOut * k[0] * k[1] * k[2]).transpose(0, 1), null);
            // Up to k^3 / s^3 products meet in one output point.
            Tensor columns = products.to(accumulator(products.dtype()))
                    .reshape(n, ix, iy, iz, cOut, k[0], k[1], k[2]).permute(0, 4, 1, 2, 3, 5, 6, 7);
            // The adjoint of conv()'s three window gathers, undone in reverse order (last axis first).
            Tensor y = new Tensor(torch.unfold_backward(columns.t, new long[] {n, cOut, ix, iy, oz, k[0], k[1]}, 4,
                    k[2], stride[2]));
            y = new Tensor(torch.unfold_backward(y.t, new long[] {n, cOut, ix, oy, oz, k[0]}, 3, k[1], stride[1]));
            y = new Tensor(torch.unfold_backward(y.t, new long[] {n, cOut, ox, oy, oz}, 2, k[0], stride[0]));
            return s.keep(y);
        }
    }

    private static Tensor withBias(Tensor y, Tensor bias) {
        return bias == null ? y : y.add(bias.reshape(1, bias.size(0), 1, 1, 1));
    }

    /** Rows per slab: all of them when autograd records the call or they fit the budget, else as many as fit. */
    private static long slabRows(long rows, long elementsPerRow, Tensor x, Tensor weight, Tensor bias) {
        boolean recorded = Autograd.records(x.t, weight.t, bias == null ? null : bias.t);
        if (recorded || rows * elementsPerRow <= SLAB_ELEMENTS) return rows;
        return Math.max(1, SLAB_ELEMENTS / elementsPerRow);
    }

    private static long[] kernel(Tensor weight) {
        return new long[] {weight.size(2), weight.size(3), weight.size(4)};
    }
}
