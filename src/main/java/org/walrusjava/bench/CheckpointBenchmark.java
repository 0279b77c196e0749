package org.walrusjava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.io.TorchCheckpoint;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Load time and peak memory of a checkpoint in the upstream `.pt` layout. The loading runs in a fresh JVM so that
 * its peak RSS is the loader's alone; it is compared with the time to read the same file from the page cache
 * (the floor for any loader) and with the size of the weights.
 */
public final class CheckpointBenchmark {
    private CheckpointBenchmark() {}

    public record Result(long fileBytes, double pageCacheReadSeconds, double runtimeInitSeconds, double loadSeconds,
            long peakRssBytes) {}

    /** Writes a random-weight checkpoint of the given size into dir (never committed anywhere). */
    public static Path generate(String size, Path dir, PrintStream log) {
        Path file = dir.resolve("walrus-" + size + "-random.pt");
        WalrusModel model = new WalrusModel(ModelSizes.byName(size));
        long t0 = System.nanoTime();
        try (Autograd off = Autograd.off()) {
            Initializer.initialize(model, 0, DType.FLOAT32, Device.CPU);
            TorchCheckpoint.write(file, model.stateDict());
        }
        log.printf("  wrote %s (%.2f GB) in %.1f s%n", file.getFileName(), file.toFile().length() / 1e9,
                (System.nanoTime() - t0) / 1e9);
        return file;
    }

    public static Result measure(Path file, PrintStream log) throws IOException, InterruptedException {
        long bytes = Files.size(file);
        readThrough(file); // warm the page cache
        long t0 = System.nanoTime();
        readThrough(file);
        double cacheRead = (System.nanoTime() - t0) / 1e9;

        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadProbe.class.getName(), file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("load probe failed: " + out);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("WARN")) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return new Result(bytes, cacheRead, Double.parseDouble(kv.get("runtime_init_seconds")),
                Double.parseDouble(kv.get("load_seconds")), Long.parseLong(kv.get("peak_rss_bytes")));
    }

    private static void readThrough(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) buf.clear();
        }
    }

    /**
     * Child process: reads the checkpoint (either format) and touches every weight (a sum per tensor), so the
     * reported peak RSS includes every page a forward pass would need.
     */
    public static final class LoadProbe {
        public static void main(String[] args) {
            Path file = Path.of(args[0]);
            // Loading libtorch's native libraries is a once-per-process cost, not part of reading a checkpoint.
            long r0 = System.nanoTime();
            NativeRuntime.init();
            System.out.println("runtime_init_seconds=" + (System.nanoTime() - r0) / 1e9);
            long t0 = System.nanoTime();
            Map<String, Tensor> weights = Checkpoints.load(file);
            double load = (System.nanoTime() - t0) / 1e9;
            double checksum = 0;
            try (Autograd off = Autograd.off()) {
                for (Tensor w : weights.values()) {
                    try (NativeScope s = NativeScope.open()) {
                        checksum += w.sum().itemDouble();
                    }
                }
            }
            System.out.println("load_seconds=" + load);
            System.out.println("checksum=" + checksum);
            System.out.println("peak_rss_bytes=" + peakRss());
        }
    }

    /** VmHWM from /proc/self/status, in bytes (0 where /proc is unavailable). */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
