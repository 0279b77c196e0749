package org.walrusjava.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumMap;
import org.walrusjava.bench.BenchmarkInput;
import org.walrusjava.bench.GemmThroughput;
import org.walrusjava.bench.ModelSizes;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autocast;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.FlopCount;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * `walrus bench train`: time and memory of full training steps (forward, backward, clipping, AdamW) on the
 * reference input (2-D 128x128, T = 6, B = 1), with and without activation checkpointing, in fp32 or with bf16
 * autocast. Each configuration runs in a fresh JVM so that its peak resident memory (VmHWM) is its own, with
 * glibc's mmap threshold fixed so that freed activations go back to the system at once and the peak reflects live
 * memory. The memory a step adds on top of the loaded model (activations, gradients, optimizer moments, convolution
 * workspaces) is what checkpointing reduces, and it is measured, not estimated.
 *
 * <p>A step time means little on its own: each row also gives the inference forward pass of the same model in the
 * same JVM, the step's ratio to it (a backward pass costs about two forwards in arithmetic, so about 3x is what a
 * step that runs as fast as its forward can reach) and the step's GEMM floor: three times the forward's counted
 * floating-point work over this machine's measured GEMM rate, the least time the step's arithmetic could take here.
 */
public final class TrainBenchmark {
    /**
     * @param checkpointing which activations the step recomputes
     * @param precision fp32 or bf16 (autocast)
     * @param stepSeconds median time of one optimizer step
     * @param forwardSeconds median inference forward pass of the same model and input, same precision
     * @param floorSeconds 3 x the forward's FLOPs at the measured GEMM rate of that precision
     * @param phases mean seconds per step in forward, backward, clipping and the optimizer
     * @param residentBefore RSS after the model, optimizer state and input exist, before the first step
     * @param peakResident VmHWM at the end
     */
    public record Row(String size, ActivationCheckpointing checkpointing, String precision, double stepSeconds,
                      double forwardSeconds, double floorSeconds, Map<StepPhases.Phase, Double> phases,
                      long residentBefore, long peakResident) {
        public double samplesPerSecond() {
            return 1 / stepSeconds;
        }

        /** The step over the inference forward pass: about 3 is the arithmetic's own ratio. */
        public double forwardRatio() {
            return stepSeconds / forwardSeconds;
        }

        /** What training steps added to resident memory: activations, gradients, optimizer moments, workspace. */
        public long stepMemory() {
            return peakResident - residentBefore;
        }
    }

    private TrainBenchmark() {}

    /** The default report: tiny and medium, checkpointing off and every block, fp32, 2 timed steps after a warm-up. */
    public static List<Row> run(PrintStream out) throws IOException, InterruptedException {
        return run(out, List.of("tiny", "medium"), 0, List.of(ActivationCheckpointing.OFF,
                new ActivationCheckpointing(1, false), new ActivationCheckpointing(1, true)), List.of("fp32"), 2);
    }

    /**
     * @param sizes model sizes ({@link ModelSizes}); blocks overrides their number of processor blocks (0 keeps it)
     * @param checkpointing activation checkpointing settings to compare
     * @param precisions "fp32" and/or "bf16" (bf16 autocast with fp32 weights and optimizer state)
     */
    public static List<Row> run(PrintStream out, List<String> sizes, int blocks,
            List<ActivationCheckpointing> checkpointing,
            List<String> precisions, int steps) throws IOException, InterruptedException {
        for (String precision : precisions)
            if (!precision.equals("fp32") && !precision.equals("bf16"))
                throw new org.walrusjava.UserError("unknown precision '" + precision + "' (fp32, bf16)");
        out.printf("training step, 2-D 128x128, T=6, B=1 on the CPU, %d threads%s (median of %d after a warm-up; "
                + "each configuration in its own JVM; forward = the same model's inference pass; floor = 3 x its "
                + "FLOPs at this machine's GEMM rate):%n", NativeRuntime.threads(),
                blocks > 0 ? ", " + blocks + " blocks" : "", steps);
        List<Row> rows = new ArrayList<>();
        for (String size : sizes)
            for (String precision : precisions)
                for (ActivationCheckpointing k : checkpointing) {
                    Row r = probe(size, blocks, k, precision, steps);
                    rows.add(r);
                    out.printf("  %-7s %-4s checkpointing %-18s %8.3f s/step  forward %7.3f s  step/forward %5.2fx  "
                                    + "floor %7.3f s (%4.2fx)  peak RSS %6.0f MB  step memory %6.0f MB%n",
                            size, precision, k.describe(), r.stepSeconds(), r.forwardSeconds(),
                            r.forwardRatio(), r.floorSeconds(), r.stepSeconds() / r.floorSeconds(),
                            r.peakResident() / 1e6, r.stepMemory() / 1e6);
                    out.printf("  %-7s %-4s   step breakdown: forward %.3f s, backward %.3f s, clipping %.3f s, "
                                    + "AdamW %.3f s%n", "", "", r.phases().get(StepPhases.Phase.FORWARD),
                            r.phases().get(StepPhases.Phase.BACKWARD), r.phases().get(StepPhases.Phase.CLIPPING),
                            r.phases().get(StepPhases.Phase.OPTIMIZER));
                }
        for (String size : sizes)
            for (String precision : precisions) {
                Row off = find(rows, size, precision, ActivationCheckpointing.OFF);
                for (Row r : rows)
                    if (off != null && r.size().equals(size) && r.precision().equals(precision) && r.checkpointing().on())
                        out.printf("  %s %s: checkpointing %s uses %.0f%% of the step memory (%.0f MB "
                                        + "saved) at %.2fx the step time%n", size, precision, r.checkpointing().describe(),
                                100.0 * r.stepMemory() / off.stepMemory(), (off.stepMemory() - r.stepMemory()) / 1e6,
                                r.stepSeconds() / off.stepSeconds());
                Row fp32 = find(rows, size, "fp32", ActivationCheckpointing.OFF),
                        bf16 = find(rows, size, "bf16", ActivationCheckpointing.OFF);
                if (precision.equals("bf16") && fp32 != null && bf16 != null)
                    out.printf("  %s: bf16 step %.2fx faster than fp32%n", size, fp32.stepSeconds() / bf16.stepSeconds());
            }
        return rows;
    }

    private static Row find(List<Row> rows, String size, String precision, ActivationCheckpointing k) {
        return rows.stream().filter(r -> r.size().equals(size) && r.precision().equals(precision)
                && r.checkpointing().equals(k)).findFirst().orElse(null);
    }

    private static Row probe(String size, int blocks, ActivationCheckpointing checkpointing, String precision, int steps)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), size,
                String.valueOf(blocks), checkpointing.spec(), precision, String.valueOf(steps)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        // The child uses this process's thread count for every native pool (OpenBLAS reads the OpenMP variable).
        pb.environment().put("WALRUS_THREADS", String.valueOf(NativeRuntime.threads()));
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(NativeRuntime.threads()));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("training benchmark probe failed: " + output);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.matches("[a-z_]+=.*")) kv.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        Map<StepPhases.Phase, Double> phases = new EnumMap<>(StepPhases.Phase.class);
        for (StepPhases.Phase phase : StepPhases.Phase.values())
            phases.put(phase, Double.parseDouble(kv.get(phase.name().toLowerCase() + "_seconds")));
        return new Row(size, checkpointing, precision, Double.parseDouble(kv.get("step_seconds")),
                Double.parseDouble(kv.get("inference_seconds")),
                3 * Double.parseDouble(kv.get("forward_flops")) / (Double.parseDouble(kv.get("gemm_tflops")) * 1e12),
                phases, Long.parseLong(kv.get("rss_before")), Long.parseLong(kv.get("peak_rss")));
    }

    /** Child process: builds the model and its optimizer, runs warm-up + timed steps, prints key=value lines. */
    public static final class Probe {
        public static void main(String[] args) {
            WalrusConfig c = ModelSizes.byName(args[0]);
            int blocks = Integer.parseInt(args[1]);
            ActivationCheckpointing checkpointing = ActivationCheckpointing.parse(args[2]);
            DType autocast = args[3].equals("bf16") ? DType.BFLOAT16 : null;
            int steps = Integer.parseInt(args[4]);
            if (blocks > 0)
                c = new WalrusConfig(c.hiddenDim(), c.intermediateDim(), blocks, c.spaceHeads(), c.timeHeads(), c.nStates(),
                        c.groups(), c.causalInTime(), c.jitterPatches(), c.usePeriodicFixedJitter(), c.includeD(),
                        c.baseKernel(), c.dropPath(), c.inputFieldDrop(), c.gradientCheckpointingFreq());
            WalrusModel model = new WalrusModel(c);
            Initializer.initialize(model, 0, DType.FLOAT32, Device.CPU);
            Tensor window = BenchmarkInput.window(7, 128, 1);
            model.train(true);
            List<TrainableParameter> params = ModelParts.select(model, "", Map.of());
            AdamW optimizer = new AdamW(params, AdamW.Settings.released());
            Batch batch = new Batch(window.narrow(0, 0, 6).contiguous(),
                    window.narrow(0, 6, 1).narrow(2, 0, BenchmarkInput.VARIABLE).contiguous(), BenchmarkInput.LABELS,
                    BenchmarkInput.BCS, BenchmarkInput.REAL, "benchmark");
            System.out.println("rss_before=" + resident("VmRSS"));
            List<Double> times = new ArrayList<>();
            StepPhases phases = new StepPhases();
            for (int i = 0; i <= steps; i++) {
                StepPhases counted = i > 0 ? phases : new StepPhases();
                long t0 = System.nanoTime();
                try (NativeScope scope = NativeScope.open()) {
                    Backpropagation.run(model, batch, Rolls.zero(), Loss.MINIMUM_CONTEXT, 1.0, checkpointing,
                            autocast, counted, Backpropagation.BlockWeights.PRESENT).lossX100().itemDouble();
                }
                long t1 = System.nanoTime();
                GradientClipping.clip(params, 10);
                long t2 = System.nanoTime();
                optimizer.step(2e-4);
                optimizer.zeroGrad();
                long t3 = System.nanoTime();
                counted.add(StepPhases.Phase.CLIPPING, t2 - t1);
                counted.add(StepPhases.Phase.OPTIMIZER, t3 - t2);
                if (i > 0) times.add((t3 - t0) / 1e9);
            }
            times.sort(null);
            System.out.println("step_seconds=" + times.get(times.size() / 2));
            for (StepPhases.Phase phase : StepPhases.Phase.values())
                System.out.println(phase.name().toLowerCase() + "_seconds=" + phases.seconds(phase) / steps);
            System.out.println("peak_rss=" + resident("VmHWM"));
            model.train(false);
            forward(model, window, autocast, steps);
        }

        /** Median inference forward (every time position, as `walrus bench` times it), its FLOPs and the GEMM rate. */
        private static void forward(WalrusModel model, Tensor window, DType autocast, int runs) {
            DType dtype = autocast == null ? DType.FLOAT32 : autocast;
            Predictor predictor = new Predictor(model);
            Tensor input = window.narrow(0, 0, 6).contiguous();
            List<Double> times = new ArrayList<>();
            long flops = 0;
            try (Autograd off = Autograd.off()) {
                for (int i = 0; i <= runs; i++)
                    try (NativeScope scope = NativeScope.open(); FlopCount count = FlopCount.start();
                         Autocast a = autocast == null ? null : Autocast.on(Device.CPU, autocast)) {
                        long t0 = System.nanoTime();
                        predictor.step(input, BenchmarkInput.LABELS, BenchmarkInput.BCS, BenchmarkInput.VARIABLE,
                                BenchmarkInput.REAL, Rolls.zero(), null).nextFrame().toFloatArray();
                        if (i > 0) times.add((System.nanoTime() - t0) / 1e9);
                        flops = count.flops();
                    }
            }
            times.sort(null);
            System.out.println("inference_seconds=" + times.get(times.size() / 2));
            System.out.println("forward_flops=" + flops);
            System.out.println("gemm_tflops=" + GemmThroughput.teraflops(dtype, Device.CPU));
        }

        private static long resident(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                    if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }
    }
}
