package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.walrusjava.tensor.DirectConvolution.Array;

/**
 * Every convolution configuration the tiny, demo and released models run (encoder and decoder, 2-D carried as 3-D
 * with a flat axis and 3-D, the field channel counts 9, 17, 25 and 70, every stride the stride table gives) in fp32,
 * a subset of them in bf16, through {@link Tensor#conv3d} and {@link Tensor#convTranspose3d}: output and all three gradients against
 * the textbook sums in float64 ({@link DirectConvolution}). The grids are not the ones the runtime check probes, so
 * a kernel that is wrong on this machine fails here whichever machine it is. Run with the verified kernels and with
 * the fallback forced, so that both paths are tested on every machine.
 */
class ConvolutionTest {
    /** transposed, in, out, kernel (cubic, or square with a flat last axis when twoD), stride, bias. */
    record Config(boolean transposed, boolean twoD, int in, int out, int kernel, int stride, boolean bias) {
        @Override
        public String toString() {
            return (twoD ? "2-D " : "3-D ") + (transposed ? "transposed " : "") + in + "->" + out + " k" + kernel
                    + " s" + stride;
        }
    }

    /** The whole set in fp32; in bf16 the field counts on both sides of 16 and the strides 1 and 4. */
    static List<Config> configs(DType dtype) {
        boolean full = dtype == DType.FLOAT32;
        List<Config> all = new ArrayList<>();
        for (int fields : full ? new int[] {9, 17, 25, 70} : new int[] {9, 70}) {
            // released encoder conv-1 (-> 352, kernel 8) at each conv-1 stride of the table, decoder's last (-> fields)
            for (int s : full ? new int[] {1, 2, 4, 6, 8} : new int[] {1, 4})
                all.add(new Config(false, true, fields, 352, 8, s, false));
            for (int s : full ? new int[] {1, 2, 4} : new int[] {4}) all.add(new Config(true, true, 352, fields, 8, s, true));
            // tiny / demo width (16) in 3-D, and the demo's 2-point kernels at stride 1
            all.add(new Config(false, false, fields, 16, 8, 2, false));
            all.add(new Config(true, false, 16, fields, 8, 2, true));
            all.add(new Config(false, true, fields, 16, 2, 1, false));
            all.add(new Config(true, true, 16, fields, 2, 1, true));
        }
        for (int s : full ? new int[] {1, 2, 4} : new int[] {2}) {
            all.add(new Config(false, false, 16, 64, 4, s, false));   // tiny conv-2 and the decoder's first
            all.add(new Config(true, false, 64, 16, 4, s, true));
        }
        if (full) {
            all.add(new Config(false, true, 352, 1408, 4, 2, false)); // released conv-2 and the decoder's first
            all.add(new Config(true, true, 1408, 352, 4, 2, true));
        }
        all.add(new Config(false, false, 17, 64, 8, 4, false));
        all.add(new Config(true, false, 64, 17, 8, 4, true));
        return all;
    }

    @AfterEach
    void restore() {
        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.VERIFY);
    }

    @ParameterizedTest
    @EnumSource(value = ConvolutionCheck.Policy.class, names = {"VERIFY", "FALLBACK"})
    void everyModelConvolutionMatchesTheTextbookSumsInFloat64(ConvolutionCheck.Policy policy) {
        ConvolutionCheck.setPolicy(policy);
        List<String> failures = new ArrayList<>();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.BFLOAT16})
            for (Config c : configs(dtype)) {
                String wrong = check(c, dtype);
                if (wrong != null) failures.add(c + " " + dtype + ": " + wrong);
            }
        assertEquals(List.of(), failures);
        if (policy == ConvolutionCheck.Policy.FALLBACK)
            ConvolutionCheck.choices().forEach((sig, choice) -> assertEquals(ConvolutionCheck.Kernel.UNFOLD,
                    choice.kernel(), sig.describe() + " runs on the fallback when libtorch is failed"));
    }

    /** Inputs, output gradient and the float64 sums, computed once and shared by both policies. */
    private record Reference(Config c, int[] stride, Array x, Array w, double[] bias, Array g, Array y, Array dx,
                             Array dw, double[] db) {}

    private static final Map<String, Reference> REFERENCES = new ConcurrentHashMap<>();

    private static Reference reference(Config c, DType dtype) {
        return REFERENCES.computeIfAbsent(c + " " + dtype, key -> {
            SplittableRandom random = new SplittableRandom(key.hashCode());
            int k = c.kernel(), s = c.stride(), kz = c.twoD() ? 1 : k;
            int[] stride = {s, s, c.twoD() ? 1 : s};
            // Three outputs per axis and one input point no window reaches; three inputs per axis when transposed.
            int span = c.transposed() ? 3 : 2 * s + k + 1, spanZ = c.twoD() ? 1 : span;
            int[] xShape = {2, c.in(), span, span, spanZ};
            int[] wShape = c.transposed() ? new int[] {c.in(), c.out(), k, k, kz}
                    : new int[] {c.out(), c.in(), k, k, kz};
            Array x = rounded(random, xShape, dtype), w = rounded(random, wShape, dtype);
            double[] bias = c.bias() ? rounded(random, new int[] {1, c.out(), 1, 1, 1}, dtype).v() : null;
            Array y = c.transposed()
                    ? DirectConvolution.convTranspose(x, w, bias, stride, new int[] {2, c.out(), (span - 1) * s + k,
                            (span - 1) * s + k, (spanZ - 1) * stride[2] + kz})
                    : DirectConvolution.conv(x, w, bias, stride);
            Array g = rounded(random, y.shape(), dtype);
            Array dx = c.transposed() ? DirectConvolution.conv(g, w, null, stride)
                    : DirectConvolution.convTranspose(g, w, null, stride, xShape);
            Array dw = c.transposed() ? DirectConvolution.correlate(x, g, stride, new int[] {k, k, kz})
                    : DirectConvolution.correlate(g, x, stride, new int[] {k, k, kz});
            return new Reference(c, stride, x, w, bias, g, y, dx, dw, DirectConvolution.channelSums(g));
        });
    }

    /** null if output and gradients agree with the float64 sums, else what disagrees. */
    private static String check(Config c, DType dtype) {
        Reference r = reference(c, dtype);
        try (NativeScope scope = NativeScope.open(); Autograd on = Autograd.on()) {
            Tensor xt = tensor(r.x(), dtype).requiresGrad(true), wt = tensor(r.w(), dtype).requiresGrad(true);
            Tensor bt = r.bias() == null ? null
                    : tensor(new Array(r.bias(), new int[] {c.out()}), dtype).requiresGrad(true);
            long[] st = {r.stride()[0], r.stride()[1], r.stride()[2]};
            Tensor yt = c.transposed() ? xt.convTranspose3d(wt, bt, st) : xt.conv3d(wt, bt, st);
            yt.backward(tensor(r.g(), dtype));
            double tol = dtype == DType.FLOAT32 ? 1e-4 : 2e-2;
            StringBuilder wrong = new StringBuilder();
            compare("output", yt, r.y().v(), tol, wrong);
            compare("input gradient", xt.grad(), r.dx().v(), tol, wrong);
            compare("weight gradient", wt.grad(), r.dw().v(), tol, wrong);
            if (bt != null) compare("bias gradient", bt.grad(), r.db(), tol, wrong);
            return wrong.isEmpty() ? null : wrong.toString();
        }
    }

    private static void compare(String what, Tensor got, double[] ref, double tol, StringBuilder wrong) {
        double[] v = got.to(DType.FLOAT64).contiguous().toDoubleArray();
        if (v.length != ref.length) {
            wrong.append(what).append(" has ").append(v.length).append(" values, not ").append(ref.length).append("; ");
            return;
        }
        double scale = 0, diff = 0;
        for (int i = 0; i < v.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            diff = Double.isNaN(v[i]) ? Double.NaN : Math.max(diff, Math.abs(v[i] - ref[i]));
            if (Double.isNaN(diff)) break;
        }
        if (!(diff <= tol * scale)) wrong.append(String.format("%s off by %.2g of max %.3g; ", what, diff / scale, scale));
    }

    /** Uniform values in [-1, 1) as the dtype holds them, so that the float64 sums see exactly what the kernel sees. */
    private static Array rounded(SplittableRandom random, int[] shape, DType dtype) {
        float[] v = new float[DirectConvolution.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * random.nextDouble() - 1);
        try (NativeScope s = NativeScope.open()) {
            double[] exact = Tensor.of(v, v.length).to(dtype).to(DType.FLOAT64).toDoubleArray();
            return new Array(exact, shape);
        }
    }

    private static Tensor tensor(Array a, DType dtype) {
        long[] shape = new long[a.shape().length];
        for (int i = 0; i < shape.length; i++) shape[i] = a.shape()[i];
        return Tensor.of(a.v(), shape).to(dtype);
    }
}
