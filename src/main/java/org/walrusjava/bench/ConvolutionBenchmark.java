package org.walrusjava.bench;

import java.io.PrintStream;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.ConvolutionCheck;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * The released model's encoder (two strided convolutions over the T = 6 frames of a window) and decoder (two
 * transposed convolutions, last position only, as predictions run them) at 2-D 128x128 and 3-D 64^3, on libtorch's
 * kernel and on walrus-java's, so that the price of the convolution fallback is known on each machine.
 */
public final class ConvolutionBenchmark {
    /** 17 fields and the 3 boundary-flag channels: more than 16, where the Zen 5 oneDNN failures start. */
    static final long CHANNELS = 20;

    private ConvolutionBenchmark() {}

    public static void run(PrintStream out, Device device, int runs) {
        out.println("convolutions of the released encoder and decoder, " + CHANNELS + " input channels (s: median of "
                + runs + "); which kernel a process uses is 'walrus doctor's first check");
        for (DType dtype : new DType[] {DType.FLOAT32, DType.BFLOAT16}) {
            // 2-D: a 128-point wall axis pads to 142, strides (2, 2); 3-D: 64 pads to 78, strides (2, 2)
            time(out, "2-D 128x128 encoder", dtype, device, runs, false, new long[] {6, CHANNELS, 142, 142, 1},
                    new long[] {2, 2, 1});
            time(out, "2-D 128x128 decoder", dtype, device, runs, true, new long[] {1, 1408, 33, 33, 1},
                    new long[] {2, 2, 1});
            time(out, "3-D 64^3 encoder", dtype, device, runs, false, new long[] {6, CHANNELS, 78, 78, 78},
                    new long[] {2, 2, 2});
            time(out, "3-D 64^3 decoder", dtype, device, runs, true, new long[] {1, 1408, 17, 17, 17},
                    new long[] {2, 2, 2});
        }
    }

    private static void time(PrintStream out, String what, DType dtype, Device device, int runs, boolean decoder,
                             long[] input, long[] stride) {
        boolean threeD = input[4] > 1;
        long[] k8 = {8, 8, threeD ? 8 : 1}, k4 = {4, 4, threeD ? 4 : 1};
        try (NativeScope s = NativeScope.open(); Autograd off = Autograd.off()) {
            Tensor x = Tensor.randn(dtype, device, input);
            Tensor first = decoder ? weight(dtype, device, 1408, 352, k4) : weight(dtype, device, 352, CHANNELS, k8);
            Tensor second = decoder ? weight(dtype, device, 352, CHANNELS, k8) : weight(dtype, device, 1408, 352, k4);
            Tensor bias = decoder ? Tensor.zeros(dtype, device, CHANNELS) : null;
            StringBuilder line = new StringBuilder(String.format("  %-22s %-5s", what, dtype == DType.FLOAT32 ? "fp32"
                    : "bf16"));
            for (ConvolutionCheck.Kernel kernel : ConvolutionCheck.Kernel.values()) {
                double[] t = new double[runs];
                for (int r = 0; r < runs; r++) {
                    try (NativeScope run = NativeScope.open()) {
                        long t0 = System.nanoTime();
                        Tensor y = ConvolutionCheck.run(kernel, decoder, x, first, null, stride);
                        ConvolutionCheck.run(kernel, decoder, y, second, bias, stride).sum().item();
                        t[r] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                java.util.Arrays.sort(t);
                line.append(String.format("  %s %.3f s", kernel == ConvolutionCheck.Kernel.LIBTORCH ? "libtorch"
                        : "walrus-java", t[runs / 2]));
            }
            out.println(line);
        }
    }

    private static Tensor weight(DType dtype, Device device, long outOrIn, long other, long[] k) {
        return Tensor.randn(dtype, device, outOrIn, other, k[0], k[1], k[2]).mul(0.02);
    }
}
