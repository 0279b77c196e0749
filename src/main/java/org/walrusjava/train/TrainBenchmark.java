package org.walrusjava.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * `walrus bench train`: time and memory of full training steps (forward, backward, clipping, AdamW) on the
 * reference input (2-D 128x128, T = 6, B = 1), with and without activation checkpointing. Each configuration runs
 * in a fresh JVM so that its peak resident memory (VmHWM) is its own, with glibc's mmap threshold fixed so that
 * freed activations go back to the system at once and the peak reflects live memory. The memory a step adds on
 * top of the loaded model (activations, gradients, optimizer moments, convolution workspaces) is what
 * checkpointing reduces, and it is measured, not estimated.
 */
public final class TrainBenchmark {
    /**
     * @param checkpointEvery activation checkpointing segment (0 = off)
     * @param stepSeconds median time of one optimizer step
     * @param residentBefore RSS after the model, optimizer state and input exist, before the first step
     * @param peakResident VmHWM at the end
     */
    public record Row(String size, int checkpointEvery, double stepSeconds, long residentBefore, long peakResident) {
        public double samplesPerSecond() {
            return 1 / stepSeconds;
        }

        /** What training steps added to resident memory: activations, gradients, optimizer moments, workspace. */
        public long stepMemory() {
            return peakResident - residentBefore;
        }
    }

    private TrainBenchmark() {}

    /** The default report: tiny and medium, checkpointing off and every block, 2 timed steps after a warm-up. */
    public static List<Row> run(PrintStream out) throws IOException, InterruptedException {
        return run(out, List.of("tiny", "medium"), 0, new int[] {0, 1}, 2);
    }

    /**
     * @param sizes model sizes ({@link ModelSizes}); blocks overrides their number of processor blocks (0 keeps it)
     * @param checkpointing activation checkpointing segments to compare (0 = off)
     */
    public static List<Row> run(PrintStream out, List<String> sizes, int blocks, int[] checkpointing, int steps)
            throws IOException, InterruptedException {
        out.printf("training step, 2-D 128x128, T=6, B=1, fp32 on the CPU, %d threads%s (median of %d after a warm-up; "
                + "each configuration in its own JVM):%n", NativeRuntime.threads(),
                blocks > 0 ? ", " + blocks + " blocks" : "", steps);
        List<Row> rows = new ArrayList<>();
        for (String size : sizes)
            for (int k : checkpointing) {
                Row r = probe(size, blocks, k, steps);
                rows.add(r);
                out.printf("  %-7s checkpointing %-5s %8.3f s/step  %6.2f samples/s  peak RSS %6.0f MB  step memory %6.0f MB%n",
                        size, k == 0 ? "off" : "every " + k, r.stepSeconds(), r.samplesPerSecond(), r.peakResident() / 1e6,
                        r.stepMemory() / 1e6);
            }
        for (String size : sizes) {
            Row off = find(rows, size, 0);
            for (Row r : rows)
                if (r.size().equals(size) && r.checkpointEvery() > 0 && off != null)
                    out.printf("  %s: checkpointing every %d block(s) uses %.0f%% of the step memory (%.0f MB saved) at "
                                    + "%.2fx the step time%n", size, r.checkpointEvery(),
                            100.0 * r.stepMemory() / off.stepMemory(), (off.stepMemory() - r.stepMemory()) / 1e6,
                            r.stepSeconds() / off.stepSeconds());
        }
        return rows;
    }

    private static Row find(List<Row> rows, String size, int k) {
        return rows.stream().filter(r -> r.size().equals(size) && r.checkpointEvery() == k).findFirst().orElse(null);
    }

    private static Row probe(String size, int blocks, int checkpointEvery, int steps)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), size,
                String.valueOf(blocks), String.valueOf(checkpointEvery), String.valueOf(steps)));
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
        return new Row(size, checkpointEvery, Double.parseDouble(kv.get("step_seconds")),
                Long.parseLong(kv.get("rss_before")), Long.parseLong(kv.get("peak_rss")));
    }

    /** Child process: builds the model and its optimizer, runs warm-up + timed steps, prints key=value lines. */
    public static final class Probe {
        public static void main(String[] args) {
            WalrusConfig c = ModelSizes.byName(args[0]);
            int blocks = Integer.parseInt(args[1]);
            int checkpointEvery = Integer.parseInt(args[2]);
            int steps = Integer.parseInt(args[3]);
            if (blocks > 0)
                c = new WalrusConfig(c.hiddenDim(), c.intermediateDim(), blocks, c.spaceHeads(), c.timeHeads(), c.nStates(),
                        c.groups(), c.causalInTime(), c.jitterPatches(), c.usePeriodicFixedJitter(), c.includeD(),
                        c.baseKernel(), c.dropPath(), c.inputFieldDrop(), c.gradientCheckpointingFreq());
            WalrusModel model = new WalrusModel(c);
            Initializer.initialize(model, 0, DType.FLOAT32, Device.CPU);
            model.train(true);
            List<TrainableParameter> params = ModelParts.select(model, "", Map.of());
            AdamW optimizer = new AdamW(params, AdamW.Settings.released());
            Tensor window = BenchmarkInput.window(7, 128, 1);
            Batch batch = new Batch(window.narrow(0, 0, 6).contiguous(),
                    window.narrow(0, 6, 1).narrow(2, 0, BenchmarkInput.VARIABLE).contiguous(), BenchmarkInput.LABELS,
                    BenchmarkInput.BCS, BenchmarkInput.REAL, "benchmark");
            System.out.println("rss_before=" + resident("VmRSS"));
            List<Double> times = new ArrayList<>();
            for (int i = 0; i <= steps; i++) {
                long t0 = System.nanoTime();
                try (NativeScope scope = NativeScope.open()) {
                    Backpropagation.run(model, batch, Rolls.zero(), Loss.MINIMUM_CONTEXT, 1.0, checkpointEvery, null)
                            .lossX100().itemDouble();
                }
                GradientClipping.clip(params, 10);
                optimizer.step(2e-4);
                optimizer.zeroGrad();
                if (i > 0) times.add((System.nanoTime() - t0) / 1e9);
            }
            times.sort(null);
            System.out.println("step_seconds=" + times.get(times.size() / 2));
            System.out.println("peak_rss=" + resident("VmHWM"));
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
