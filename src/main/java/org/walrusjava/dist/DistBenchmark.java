package org.walrusjava.dist;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.bench.BenchmarkInput;
import org.walrusjava.bench.ModelSizes;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.ActivationCheckpointing;
import org.walrusjava.train.AdamW;
import org.walrusjava.train.Backpropagation;
import org.walrusjava.train.Batch;
import org.walrusjava.train.DistributedAdamW;
import org.walrusjava.train.Loss;
import org.walrusjava.train.ModelParts;

/**
 * `walrus bench dist`: how fast ranks on this machine sum buffers over Gloo (the exchange data-parallel training does
 * once per optimizer step, for all gradients), and how many bytes of training state each rank holds at the optimizer
 * step in each {@link DataParallel.Mode}. Run without a rank environment, it launches itself as 2 ranks over
 * loopback; run by `walrus launch` or srun, it measures the ranks it finds.
 */
public final class DistBenchmark {
    /** Buffer sizes in MB: 1 to 256, from a small model's gradients to a large bucket count. */
    static final int[] MEGABYTES = {1, 4, 16, 64, 256};

    private DistBenchmark() {}

    /** The ranks of the 1.3B model's memory extrapolation. */
    static final int[] EXTRAPOLATED_RANKS = {2, 4, 8};

    /** Launches 2 local ranks running `walrus bench dist` and returns the launch's exit code. */
    public static int launch(PrintStream out, PrintStream err) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return Launcher.start(new Launcher.Plan(2, 1, 0, "127.0.0.1", port), List.of("bench", "dist"),
                Map.of("WALRUS_THREADS", "1", "OMP_NUM_THREADS", "1"), out).waitFor(err);
    }

    /**
     * Times a summing all-reduce of each size ({@code repeats} times after one warm-up, median); rank 0 prints.
     *
     * @return the median seconds per size, in the order of {@link #MEGABYTES}
     */
    public static double[] measure(DataParallel ranks, int repeats, PrintStream out) {
        double[] seconds = new double[MEGABYTES.length];
        if (ranks.leader())
            out.printf("all-reduce (sum, fp32) over Gloo, %d ranks, median of %d after a warm-up:%n", ranks.worldSize(),
                    repeats);
        for (int i = 0; i < MEGABYTES.length; i++) {
            try (NativeScope scope = NativeScope.open()) {
                Tensor buffer = Tensor.ones(DType.FLOAT32, Device.CPU, MEGABYTES[i] * (1L << 20) / 4);
                List<Double> times = new ArrayList<>();
                for (int r = 0; r <= repeats; r++) {
                    long t0 = System.nanoTime();
                    ranks.sumInPlace(buffer);
                    if (r > 0) times.add((System.nanoTime() - t0) / 1e9);
                }
                times.sort(null);
                seconds[i] = times.get(times.size() / 2);
            }
            if (ranks.leader())
                out.printf("  %4d MB  %9.4f s  %8.1f MB/s (buffer size / time)%n", MEGABYTES[i], seconds[i],
                        MEGABYTES[i] / seconds[i]);
        }
        return seconds;
    }

    /**
     * Trains the tiny model for one step (one synthetic 2-D 32x32 window per rank) in each mode and gathers what each
     * rank held at the optimizer step, measured as the bytes of the tensors themselves; rank 0 prints them and the
     * 1.3B model's figures extrapolated from its parameter count.
     *
     * @return by mode, each rank's memory
     */
    public static Map<DataParallel.Mode, List<DistributedAdamW.Memory>> memory(DataParallel ranks, PrintStream out) {
        WalrusConfig tiny = ModelSizes.tiny();
        if (ranks.leader())
            out.printf("training state per rank at the optimizer step, tiny model (%,d parameters, fp32), %d ranks, "
                    + "measured:%n", new WalrusModel(tiny).parameterCount(), ranks.worldSize());
        Map<DataParallel.Mode, List<DistributedAdamW.Memory>> byMode = new EnumMap<>(DataParallel.Mode.class);
        // a launch of the benchmark is one node, where hsdp is fsdp
        for (DataParallel.Mode mode : List.of(DataParallel.Mode.REPLICATED, DataParallel.Mode.SHARDED)) {
            List<DistributedAdamW.Memory> held = measure(ranks, mode);
            byMode.put(mode, held);
            for (int r = 0; r < held.size() && ranks.leader(); r++) {
                DistributedAdamW.Memory m = held.get(r);
                out.printf("  %-14s rank %d  weights %8.3f MB  gradients %8.3f MB  moments %8.3f MB%n", label(mode), r,
                        m.weights() / 1e6, m.gradients() / 1e6, m.moments() / 1e6);
            }
        }
        if (ranks.leader()) {
            long p = new WalrusModel(ModelSizes.full()).parameterCount();
            out.printf("1.3B model (%,d parameters, fp32), extrapolated from the parameter count (4 bytes of weight, 4 "
                    + "of gradient and 8 of moments per parameter; sharded: gradients and moments divided over the "
                    + "ranks, weights whole), before activations:%n", p);
            for (int n : EXTRAPOLATED_RANKS)
                out.printf("  1.3B, %d ranks: %s %.1f GB/rank, %s %.1f GB/rank%n", n, label(DataParallel.Mode.REPLICATED),
                        16.0 * p / 1e9, label(DataParallel.Mode.SHARDED), (4.0 * p + 12.0 * p / n) / 1e9);
        }
        return byMode;
    }

    static String label(DataParallel.Mode mode) {
        return switch (mode) {
            case REPLICATED -> "ddp";
            case SHARDED -> "fsdp (ZeRO-2)";
            case HYBRID -> "hsdp (ZeRO-2 within nodes)";
        };
    }

    /** What every rank held, by rank, at one optimizer step of the tiny model in {@code mode}; every rank calls it. */
    public static List<DistributedAdamW.Memory> measure(DataParallel ranks, DataParallel.Mode mode) {
        return gatherMemory(ranks, oneStep(ModelSizes.tiny(), ranks.mode(mode)));
    }

    /** One optimizer step of a freshly initialized model on this rank's window; what the rank held at it. */
    private static DistributedAdamW.Memory oneStep(WalrusConfig config, DataParallel ranks) {
        try (NativeScope scope = NativeScope.open()) {
            WalrusModel model = new WalrusModel(config);
            Initializer.initialize(model, 0, DType.FLOAT32, Device.CPU);
            model.train(true);
            Tensor window = BenchmarkInput.window(4, 32, 1 + ranks.rank());
            Batch batch = new Batch(window.narrow(0, 0, 3).contiguous(),
                    window.narrow(0, 3, 1).narrow(2, 0, BenchmarkInput.VARIABLE).contiguous(), BenchmarkInput.LABELS,
                    BenchmarkInput.BCS, BenchmarkInput.REAL, "benchmark");
            try (DistributedAdamW optimizer = new DistributedAdamW(ModelParts.select(model, "", Map.of()),
                    AdamW.Settings.released(), ranks)) {
                Backpropagation.run(model, batch, Rolls.zero(), Loss.MINIMUM_CONTEXT, 1.0 / ranks.worldSize(),
                        ActivationCheckpointing.OFF, null);
                optimizer.sumAndClip(10);
                optimizer.step(2e-4);
                return optimizer.memory();
            }
        }
    }

    /** Every rank's memory, by rank (each fills its own row of a sum; byte counts are exact in a double). */
    private static List<DistributedAdamW.Memory> gatherMemory(DataParallel ranks, DistributedAdamW.Memory mine) {
        double[] rows = new double[3 * ranks.worldSize()];
        rows[3 * ranks.rank()] = mine.weights();
        rows[3 * ranks.rank() + 1] = mine.gradients();
        rows[3 * ranks.rank() + 2] = mine.moments();
        double[] all = ranks.sum(rows);
        List<DistributedAdamW.Memory> out = new ArrayList<>();
        for (int r = 0; r < ranks.worldSize(); r++)
            out.add(new DistributedAdamW.Memory((long) all[3 * r], (long) all[3 * r + 1], (long) all[3 * r + 2]));
        return out;
    }
}
