package org.walrusjava.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/** Median one-step forward time on the reference benchmark input, per model size and dtype. */
public final class ForwardBenchmark {
    private ForwardBenchmark() {}

    public record Timing(String size, DType dtype, double medianSeconds, int runs) {}

    public static Timing measure(String size, DType dtype, Device device, int warmup, int runs, PrintStream log) {
        WalrusConfig config = ModelSizes.byName(size);
        WalrusModel model = new WalrusModel(config);
        Initializer.initialize(model, 0, dtype, device);
        Predictor predictor = new Predictor(model);
        Tensor window = BenchmarkInput.window(6, 128, 1).to(device);
        List<Double> seconds = new ArrayList<>();
        try (Autograd off = Autograd.off()) {
            for (int i = 0; i < warmup + runs; i++) {
                try (NativeScope scope = NativeScope.open()) {
                    long t0 = System.nanoTime();
                    predictor.step(window, BenchmarkInput.LABELS, BenchmarkInput.BCS, BenchmarkInput.VARIABLE,
                            BenchmarkInput.REAL, Rolls.zero(), null).nextFrame().toFloatArray();
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (i >= warmup) seconds.add(s);
                    log.printf("  %s %s run %d/%d: %.3f s%s%n", size, name(dtype), i + 1, warmup + runs, s,
                            i < warmup ? " (warm-up)" : "");
                }
            }
        }
        Collections.sort(seconds);
        return new Timing(size, dtype, seconds.get(seconds.size() / 2), runs);
    }

    public static String name(DType d) {
        return d == DType.BFLOAT16 ? "bf16" : d == DType.FLOAT16 ? "fp16" : "fp32";
    }

    public static void main(String[] args) {
        System.out.println("threads " + NativeRuntime.threads());
        for (String s : args) {
            for (DType d : new DType[] {DType.FLOAT32, DType.BFLOAT16}) {
                Timing t = measure(s, d, Device.CPU, 1, 3, System.out);
                System.out.printf("%s %s median %.3f s%n", s, name(d), t.medianSeconds());
            }
        }
    }
}
