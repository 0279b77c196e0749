package org.walrusjava.tensor;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch once and sets its thread count. The count comes from WALRUS_THREADS, else OMP_NUM_THREADS,
 * else the number of available processors, so that benchmarks and CI can pin it.
 */
public final class NativeRuntime {
    private static volatile boolean ready;

    private NativeRuntime() {}

    public static synchronized void init() {
        if (ready) return;
        try {
            Loader.load(torch.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load libtorch native libraries: " + e.getMessage(), e);
        }
        torch.set_num_threads(threads());
        ready = true;
    }

    public static int threads() {
        for (String var : new String[] {"WALRUS_THREADS", "OMP_NUM_THREADS"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                try {
                    return Math.max(1, Integer.parseInt(v.trim()));
                } catch (NumberFormatException ignored) {
                    // fall back to the next source
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static void setThreads(int n) {
        init();
        torch.set_num_threads(n);
    }

    public static boolean cudaAvailable() {
        init();
        return torch.cuda_is_available();
    }
}
