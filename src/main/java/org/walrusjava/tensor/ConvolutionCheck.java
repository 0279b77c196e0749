package org.walrusjava.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs every convolution on a kernel whose results this machine has verified.
 *
 * <p>Why: libtorch 2.10's oneDNN convolutions compute wrong numbers on some x86 CPUs while the same calls are right
 * on others. On a Zen 5 part: errors of 7-53% of the largest output, or NaN, in forward convolutions reading more
 * than 16 channels, in transposed ones writing more than 16, in input gradients, and in some convolutions of 3 or 4
 * channels at some grids only. Which calls fail depends on the CPU and on the grid, not on anything the code can
 * list in advance. So before the first convolution on a device and dtype, libtorch's kernel runs a fixed screening
 * set ({@link #screeningSet}), and the first call of each signature (direction, channels, kernel, stride, flat axes,
 * bias, dtype, device) runs a probe of its own: random values of the same channels, kernel and stride on a small
 * grid, output and all three gradients compared with libtorch's float64 computation of the same values (float64
 * never reaches oneDNN). One failure withdraws the trust from every libtorch convolution on that device, since a
 * kernel that fails at one grid was seen to pass at another; they then run on {@link UnfoldConvolution}, whose
 * every signature is probed the same way. Measured on 2 cores, once per process: the screening set 1.7 s per dtype, a
 * probe 15-30 ms for a tiny-model signature and 2-5 s for the released model's widest 3-D convolutions.
 *
 * <p>{@code WALRUS_CONV_CHECK} sets the {@link Policy}: {@code verify} (the default), {@code off} (libtorch's kernel
 * unverified, to see what this machine's libtorch does on its own) or {@code fallback} (treat libtorch as failing,
 * which exercises the fallback on any machine).
 */
public final class ConvolutionCheck {
    /** What the check does. */
    public enum Policy {
        VERIFY, OFF, FALLBACK;

        static Policy fromEnvironment() {
            String v = System.getenv("WALRUS_CONV_CHECK");
            if (v == null || v.isBlank() || v.equalsIgnoreCase("verify")) return VERIFY;
            if (v.equalsIgnoreCase("off")) return OFF;
            if (v.equalsIgnoreCase("fallback")) return FALLBACK;
            throw new IllegalArgumentException("WALRUS_CONV_CHECK=" + v + " is not one of verify, off, fallback");
        }
    }

    /** The two kernels a convolution can run on. */
    public enum Kernel {
        /** libtorch's own dispatch: oneDNN on x86 CPUs, cuDNN on CUDA. */
        LIBTORCH,
        /** {@link UnfoldConvolution}: a window gather and one GEMM. */
        UNFOLD
    }

    /** Everything that selects a kernel inside libtorch, as far as the model varies it. */
    public record Signature(boolean transposed, DType dtype, Device device, long inChannels, long outChannels,
                            List<Long> kernel, List<Long> stride, List<Boolean> flat, boolean bias) {
        public String describe() {
            int dims = (int) flat.stream().filter(f -> !f).count();
            return String.format(Locale.ROOT, "%d-D %sconvolution %d->%d channels, kernel %s, stride %s%s, %s on %s",
                    dims, transposed ? "transposed " : "", inChannels, outChannels, join(kernel), join(stride),
                    bias ? ", with bias" : "", dtype.name().toLowerCase(Locale.ROOT), device);
        }

        private static String join(List<Long> v) {
            StringBuilder sb = new StringBuilder();
            for (int a = 0; a < v.size(); a++) sb.append(a == 0 ? "" : "x").append(v.get(a));
            return sb.toString();
        }
    }

    /** The largest error of a kernel's output and gradients on the probe, each relative to the largest reference. */
    public record Probe(double output, double inputGradient, double weightGradient, double biasGradient,
                        double tolerance) {
        public double worst() {
            double w = 0;
            for (double e : new double[] {output, inputGradient, weightGradient, biasGradient})
                w = Double.isNaN(e) || Double.isNaN(w) ? Double.NaN : Math.max(w, e);
            return w;
        }

        public boolean passed() {
            return worst() <= tolerance; // false for NaN
        }
    }

    /** The kernel a signature runs on, with the probes that decided it (null where none ran). */
    public record Choice(Kernel kernel, Probe libtorch, Probe unfold) {}

    private static volatile Policy policy = Policy.fromEnvironment();
    private static final Map<Signature, Choice> CHOICES = new ConcurrentHashMap<>();
    private static final Map<String, Map<Signature, Probe>> SCREENED = new ConcurrentHashMap<>();
    private static final Set<Device> DISTRUSTED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private ConvolutionCheck() {}

    public static Policy policy() {
        return policy;
    }

    /** Sets the policy for this process (tests, {@code walrus doctor}) and forgets every choice made so far. */
    public static synchronized void setPolicy(Policy p) {
        policy = p;
        CHOICES.clear();
        SCREENED.clear();
        DISTRUSTED.clear();
        TOLD.set(false);
    }

    /** Whether libtorch's convolutions on {@code device} failed a probe in this process. */
    public static boolean distrusted(Device device) {
        return DISTRUSTED.contains(device);
    }

    /** The screening probes of libtorch's kernel run so far, by signature. */
    public static Map<Signature, Probe> screening() {
        Map<Signature, Probe> all = new LinkedHashMap<>();
        SCREENED.values().forEach(all::putAll);
        return all;
    }

    /** The choices made so far in this process. */
    public static Map<Signature, Choice> choices() {
        return Map.copyOf(CHOICES);
    }

    static Tensor conv(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        Signature sig = signature(false, x, weight, bias, stride);
        return run(choose(sig).kernel(), false, x, weight, bias, stride);
    }

    static Tensor convTranspose(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        Signature sig = signature(true, x, weight, bias, stride);
        return run(choose(sig).kernel(), true, x, weight, bias, stride);
    }

    /** The choice for {@code sig}, probing it now if this process has not seen it. */
    public static Choice choose(Signature sig) {
        Choice known = CHOICES.get(sig);
        if (known != null && !(known.kernel() == Kernel.LIBTORCH && DISTRUSTED.contains(sig.device()))) return known;
        if (policy == Policy.VERIFY) screen(sig.device(), sig.dtype());
        return CHOICES.compute(sig, (key, old) -> old != null && old.kernel() == Kernel.UNFOLD ? old : decide(key));
    }

    /**
     * Probes a fixed set of signatures once per device and dtype, before the first real one: libtorch's failures
     * on the CPU that showed them depended on the grid and the channel counts, and on that CPU a convolution the
     * model's own probe passed could still fail at another grid. So one failure anywhere withdraws the trust from
     * every libtorch convolution on that device, and this set looks for one before any is trusted.
     */
    private static void screen(Device device, DType dtype) {
        if (dtype == DType.FLOAT64) return;
        SCREENED.computeIfAbsent(device + "/" + dtype, key -> {
            Map<Signature, Probe> results = new LinkedHashMap<>();
            for (Signature sig : screeningSet(device, dtype)) {
                Probe p = probe(sig, Kernel.LIBTORCH);
                results.put(sig, p);
                if (!p.passed()) distrust(sig, p);
            }
            return Map.copyOf(results);
        });
    }

    /** Both directions in 2-D and 3-D, channel counts on both sides of 16 and an anisotropic kernel and stride. */
    public static List<Signature> screeningSet(Device device, DType dtype) {
        long[][] specs = { // transposed, in, out, kx, ky, kz, sx, sy, sz
                {0, 9, 16, 4, 4, 1, 1, 1, 1}, {0, 17, 24, 8, 8, 1, 2, 2, 1}, {0, 70, 32, 8, 8, 1, 4, 4, 1},
                {0, 17, 16, 4, 4, 4, 2, 2, 2}, {0, 3, 4, 3, 2, 2, 2, 1, 2}, {1, 24, 17, 8, 8, 1, 2, 2, 1},
                {1, 12, 9, 4, 4, 4, 1, 1, 1}, {1, 40, 70, 4, 4, 4, 2, 2, 2}, {1, 4, 3, 3, 2, 2, 2, 1, 2}};
        List<Signature> out = new ArrayList<>();
        for (long[] v : specs)
            out.add(new Signature(v[0] == 1, dtype, device, v[1], v[2], List.of(v[3], v[4], v[5]),
                    List.of(v[6], v[7], v[8]), List.of(false, false, v[5] == 1), v[0] == 1));
        return out;
    }

    private static void distrust(Signature sig, Probe p) {
        DISTRUSTED.add(sig.device());
        if (TOLD.compareAndSet(false, true))
            System.err.println("walrus: libtorch's convolutions compute wrong results on this machine ("
                    + sig.describe() + ": off by " + format(p.worst()) + " of the largest value); walrus-java's own"
                    + " convolution is used instead ('walrus doctor' says more)");
    }

    private static Choice decide(Signature sig) {
        // libtorch never hands float64 to oneDNN, and float64 is what the probes compare against.
        if (policy == Policy.OFF || sig.dtype() == DType.FLOAT64) return new Choice(Kernel.LIBTORCH, null, null);
        Probe libtorch = null;
        if (policy == Policy.VERIFY && !DISTRUSTED.contains(sig.device())) {
            libtorch = probe(sig, Kernel.LIBTORCH);
            if (libtorch.passed()) return new Choice(Kernel.LIBTORCH, libtorch, null);
            distrust(sig, libtorch);
        }
        Probe unfold = probe(sig, Kernel.UNFOLD);
        if (!unfold.passed())
            throw new IllegalStateException("no convolution kernel computes " + sig.describe()
                    + " correctly on this machine: walrus-java's is off by " + format(unfold.worst())
                    + " (tolerance " + format(unfold.tolerance()) + ") as well as libtorch's; run 'walrus doctor'");
        return new Choice(Kernel.UNFOLD, libtorch, unfold);
    }

    static Signature signature(boolean transposed, Tensor x, Tensor weight, Tensor bias, long[] stride) {
        Long[] k = new Long[3], s = new Long[3];
        Boolean[] flat = new Boolean[3];
        for (int a = 0; a < 3; a++) {
            k[a] = weight.size(2 + a);
            s[a] = stride[a];
            flat[a] = x.size(2 + a) == 1 && k[a] == 1;
        }
        long in = transposed ? weight.size(0) : weight.size(1), out = transposed ? weight.size(1) : weight.size(0);
        return new Signature(transposed, Autocast.effective(x.device(), x.dtype()), x.device(), in, out, List.of(k),
                List.of(s), List.of(flat), bias != null);
    }

    /**
     * Runs {@code kernel} on random values of {@code sig}'s shapes (two batch entries, three outputs per axis for a
     * convolution, three inputs per axis for a transposed one) and compares its output and gradients with libtorch's
     * float64 computation of the same values.
     */
    public static Probe probe(Signature sig, Kernel kernel) {
        try (NativeScope s = NativeScope.open(); Autograd on = Autograd.on();
             Autocast exact = Autocast.suspended(sig.device())) {
            SplittableRandom random = new SplittableRandom(20261203L);
            long[] xShape = new long[5], wShape = new long[5], stride = new long[3];
            xShape[0] = 2;
            xShape[1] = sig.inChannels();
            wShape[0] = sig.transposed() ? sig.inChannels() : sig.outChannels();
            wShape[1] = sig.transposed() ? sig.outChannels() : sig.inChannels();
            for (int a = 0; a < 3; a++) {
                long k = sig.kernel().get(a);
                stride[a] = sig.stride().get(a);
                wShape[2 + a] = k;
                xShape[2 + a] = sig.flat().get(a) ? 1 : sig.transposed() ? 3 : 2 * stride[a] + k;
            }
            Tensor x = uniform(random, xShape, sig), w = uniform(random, wShape, sig);
            Tensor b = sig.bias() ? uniform(random, new long[] {wShape[sig.transposed() ? 1 : 0]}, sig) : null;
            Tensor[] got = forwardAndBackward(kernel, sig.transposed(), x, w, b, stride);
            Tensor[] ref = forwardAndBackward(Kernel.LIBTORCH, sig.transposed(), toReference(x), toReference(w),
                    b == null ? null : toReference(b), stride);
            double tol = sig.dtype() == DType.FLOAT32 ? 1e-4 : 2e-2;
            return new Probe(got[0].relativeErrorTo(ref[0]), got[1].relativeErrorTo(ref[1]),
                    got[2].relativeErrorTo(ref[2]), b == null ? 0 : got[3].relativeErrorTo(ref[3]), tol);
        }
    }

    /** Output, then the gradients of x, weight and bias for the same random output gradient on every call. */
    private static Tensor[] forwardAndBackward(Kernel kernel, boolean transposed, Tensor x, Tensor w, Tensor b,
                                               long[] stride) {
        Tensor xl = x.detach().requiresGrad(true), wl = w.detach().requiresGrad(true);
        Tensor bl = b == null ? null : b.detach().requiresGrad(true);
        Tensor y = run(kernel, transposed, xl, wl, bl, stride);
        Tensor g = Tensor.uniform(new SplittableRandom(7), y.dtype(), y.device(), y.shape());
        y.backward(g);
        return new Tensor[] {y, xl.grad(), wl.grad(), bl == null ? null : bl.grad()};
    }

    /** One convolution on the given kernel, whatever the check decided (benchmarks, probes). */
    public static Tensor run(Kernel kernel, boolean transposed, Tensor x, Tensor weight, Tensor bias, long[] stride) {
        if (kernel == Kernel.UNFOLD)
            return transposed ? UnfoldConvolution.convTranspose(x, weight, bias, stride)
                    : UnfoldConvolution.conv(x, weight, bias, stride);
        return transposed ? libtorchConvTranspose(x, weight, bias, stride) : libtorchConv(x, weight, bias, stride);
    }

    /*
     * A spatial axis of extent 1 that the kernel spans with 1 (2-D data carried as 3-D) is dropped and the rest runs
     * as a 2-D convolution, the same sums: libtorch's 2-D kernels were 2.5x faster here (a full-size Walrus encoder
     * convolution at 128x128: 0.51 s against 1.23 s; its decoder 1.50 s against 0.50 s). The FLOP count is taken
     * here rather than in Tensor because walrus-java's own kernel counts itself through its GEMM.
     */
    private static Tensor libtorchConv(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        long outVolume = 1;
        for (int a = 0; a < 3; a++) outVolume *= (x.size(2 + a) - weight.size(2 + a)) / stride[a] + 1;
        FlopCount.add((double) x.size(0) * outVolume * weight.numel());
        int flat = flatAxis(x, weight);
        if (flat >= 0)
            return new Tensor(torch.conv2d(x.t.squeeze(2 + flat), weight.t.squeeze(2 + flat), optional(bias),
                    without(stride, flat), new long[] {0, 0}, new long[] {1, 1}, 1)).unsqueeze(2 + flat);
        return new Tensor(torch.conv3d(x.t, weight.t, optional(bias), stride, new long[] {0, 0, 0},
                new long[] {1, 1, 1}, 1));
    }

    private static Tensor libtorchConvTranspose(Tensor x, Tensor weight, Tensor bias, long[] stride) {
        FlopCount.add((double) x.numel() / x.size(1) * weight.numel());
        int flat = flatAxis(x, weight);
        if (flat >= 0)
            return new Tensor(torch.conv_transpose2d(x.t.squeeze(2 + flat), weight.t.squeeze(2 + flat),
                    optional(bias), without(stride, flat), new long[] {0, 0}, new long[] {0, 0}, 1,
                    new long[] {1, 1})).unsqueeze(2 + flat);
        return new Tensor(torch.conv_transpose3d(x.t, weight.t, optional(bias), stride, new long[] {0, 0, 0},
                new long[] {0, 0, 0}, 1, new long[] {1, 1, 1}));
    }

    /** The last spatial axis (0-2) on which both the input and the kernel have extent 1, or -1. */
    private static int flatAxis(Tensor x, Tensor weight) {
        for (int a = 2; a >= 0; a--)
            if (x.size(2 + a) == 1 && weight.size(2 + a) == 1) return a;
        return -1;
    }

    private static long[] without(long[] values, int index) {
        long[] out = new long[values.length - 1];
        for (int i = 0, j = 0; i < values.length; i++)
            if (i != index) out[j++] = values[i];
        return out;
    }

    private static TensorOptional optional(Tensor x) {
        return x == null ? new TensorOptional() : new TensorOptional(x.t);
    }

    private static Tensor uniform(SplittableRandom random, long[] shape, Signature sig) {
        return Tensor.uniform(random, sig.dtype(), sig.device(), shape);
    }

    private static Tensor toReference(Tensor x) {
        return x.to(Device.CPU).to(DType.FLOAT64);
    }

    private static String format(double e) {
        return String.format(Locale.ROOT, "%.2g", e);
    }
}
