package org.walrusjava.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.walrusjava.bench.CheckpointBenchmark;
import org.walrusjava.dist.DataParallel;
import org.walrusjava.dist.DistBenchmark;
import org.walrusjava.bench.ForwardBenchmark;
import org.walrusjava.bench.GemmThroughput;
import org.walrusjava.bench.RolloutBenchmark;
import org.walrusjava.tensor.CpuInfo;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.train.ActivationCheckpointing;
import org.walrusjava.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `walrus bench [model|rollout|...]`: prints speed and memory figures for this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: model (checkpoint load, forward fp32/bf16), data (Well reading, walrus import), rollout,"
                + " train (step time, samples/s, peak memory with and without activation checkpointing).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", defaultValue = "model",
            description = "What to measure: model (default), data, rollout, train, convolution, dist (all-reduce over 2 "
                    + "local ranks, or the ranks of a launch).")
    String what;

    @Option(names = "--sizes", split = ",", defaultValue = "tiny,medium,full",
            description = "Model sizes for forward timings (tiny, medium, full). Default: ${DEFAULT-VALUE}.")
    List<String> sizes;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per figure (median reported).")
    int runs;

    @Option(names = "--precision", split = ",",
            description = "bench train: fp32 and/or bf16 (autocast, fp32 weights and optimizer state). Default: both "
                    + "where the CPU has bf16 instructions, else fp32 (bf16 is then several times slower).")
    List<String> precisions;

    @Option(names = "--checkpointing", split = ",", defaultValue = "0,1,1:selective",
            description = "bench train: activation checkpointing to time: 0 (off), K (recompute segments of K blocks) or "
                    + "K:selective (recompute all but their projections). Default: ${DEFAULT-VALUE}.")
    List<String> checkpointing;

    @Option(names = "--no-load", description = "Skip the 1.3B checkpoint load benchmark (it writes a 5 GB temp file).")
    boolean noLoad;

    @Option(names = "--load-file", paramLabel = "CKPT",
            description = "Measure loading this checkpoint (e.g. the released walrus.pt) instead of a generated one.")
    Path loadFile;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Device where = device.parse();
        if (!where.equals(Device.CPU) && (what.equals("data") || what.equals("train")))
            throw new org.walrusjava.UserError("--device " + where + ": bench " + what
                    + " measures the CPU only; --device applies to bench model and bench rollout");
        System.out.printf("walrus bench %s: %d threads, %s%n", what, NativeRuntime.threads(), System.getProperty("os.arch"));
        String tunables = System.getenv("GLIBC_TUNABLES");
        System.out.println(tunables != null ? "native allocator: GLIBC_TUNABLES=" + tunables
                : "native allocator: glibc defaults (large tensors are faulted in afresh on every allocation; "
                        + "bin/walrus sets GLIBC_TUNABLES, see bin/native-env)");
        String spin = System.getenv("GOMP_SPINCOUNT");
        System.out.println(spin != null ? "OpenMP idle spin: GOMP_SPINCOUNT=" + spin
                : "OpenMP idle spin: libgomp's default (idle threads spin on cores the row-split products need; "
                        + "bin/walrus sets GOMP_SPINCOUNT, see bin/native-env)");
        switch (what) {
            case "model" -> model(where);
            case "data" -> {
                org.walrusjava.data.DataBenchmark.run(System.out);
                org.walrusjava.importer.ImportBenchmark.run(System.out);
            }
            case "rollout" -> rollout(where);
            case "train" -> TrainBenchmark.run(System.out, sizes.stream().filter(s -> !s.equals("full")).toList(), 0,
                    checkpointing.stream().map(ActivationCheckpointing::parse).toList(), trainPrecisions(), runs);
            case "convolution" -> org.walrusjava.bench.ConvolutionBenchmark.run(System.out, Device.CPU, runs);
            case "dist" -> {
                if (System.getenv("WORLD_SIZE") == null && System.getenv("SLURM_NTASKS") == null)
                    return DistBenchmark.launch(System.out, System.err);
                try (DataParallel ranks = DataParallel.fromEnvironment(Device.CPU)) {
                    DistBenchmark.measure(ranks, runs, System.out);
                    DistBenchmark.memory(ranks, System.out);
                }
            }
            default -> throw new org.walrusjava.UserError("unknown benchmark '" + what
                    + "' (model, data, rollout, train, convolution, dist)");
        }
        return 0;
    }

    private List<String> trainPrecisions() {
        if (precisions != null) return precisions;
        if (CpuInfo.hasFullRateBf16()) return List.of("fp32", "bf16");
        System.out.println("bf16 not timed: this CPU has no bf16 product instructions (--precision bf16 times it anyway)");
        return List.of("fp32");
    }

    private void model(Device where) throws Exception {
        if (loadFile != null) {
            System.out.println("checkpoint load (" + loadFile + "):");
            printLoad(CheckpointBenchmark.measure(loadFile, System.out));
        } else if (!noLoad) {
            Path dir = Files.createTempDirectory("walrus-bench");
            try {
                System.out.println("checkpoint load (1.3B, upstream .pt layout, random weights):");
                printLoad(CheckpointBenchmark.measure(CheckpointBenchmark.generate("full", dir, System.out), System.out));
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        forwardTimings(where);
    }

    private static void printLoad(CheckpointBenchmark.Result r) {
        System.out.printf("  file %.2f GB: page-cache read %.2f s, load %.2f s (%.2fx; libtorch start-up %.2f s"
                        + " before it), peak RSS %.2f GB (%.2fx weights)%n",
                r.fileBytes() / 1e9, r.pageCacheReadSeconds(), r.loadSeconds(),
                r.loadSeconds() / r.pageCacheReadSeconds(), r.runtimeInitSeconds(), r.peakRssBytes() / 1e9,
                (double) r.peakRssBytes() / r.fileBytes());
    }

    private void forwardTimings(Device where) {
        System.out.println("machine: " + GemmThroughput.describe(where));
        System.out.println("forward, 2-D 128x128, T=6, B=1, rolls 0 (median of " + runs + " after a warm-up):");
        StringBuilder table = new StringBuilder("  size     fp32 s    bf16 s\n");
        for (String size : sizes) {
            double[] s = new double[2];
            DType[] types = {DType.FLOAT32, DType.BFLOAT16};
            for (int i = 0; i < 2; i++)
                s[i] = ForwardBenchmark.measure(size, types[i], where, 1, runs, System.out).medianSeconds();
            table.append(String.format("  %-7s %8.3f  %8.3f%n", size, s[0], s[1]));
        }
        System.out.print(table);
    }

    private void rollout(Device where) {
        for (String size : sizes) {
            if (size.equals("full")) continue;
            double sps = RolloutBenchmark.stepsPerSecond(size, DType.FLOAT32, where, 5, System.out);
            System.out.printf("rollout %s fp32, 2-D 128x128: %.3f steps/s%n", size, sps);
        }
    }
}
