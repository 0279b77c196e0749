package org.walrusjava.dist;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * `walrus bench dist`: how fast ranks on this machine sum buffers over Gloo (the exchange data-parallel training does
 * once per optimizer step, for all gradients). Run without a rank environment, it launches itself as 2 ranks over
 * loopback; run by `walrus launch` or srun, it measures the ranks it finds.
 */
public final class DistBenchmark {
    /** Buffer sizes in MB: 1 to 256, from a small model's gradients to a large bucket count. */
    static final int[] MEGABYTES = {1, 4, 16, 64, 256};

    private DistBenchmark() {}

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
}
