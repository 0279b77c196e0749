package org.walrusjava.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch once and sets its thread count. The count comes from WALRUS_THREADS, else OMP_NUM_THREADS,
 * else the number of available processors, so that benchmarks and CI can pin it.
 *
 * <p>The bundled OpenBLAS runs its own pthread pool next to libtorch's OpenMP threads; on a busy or small machine
 * the two pools spin against each other and a training step of a small Walrus took 10 to 30 times longer
 * (measured on 2 cores: 40 s instead of 1.5 s). So OpenBLAS is held to one thread (libtorch still parallelises
 * around it) unless OPENBLAS_NUM_THREADS asks otherwise.
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
        // On CPUs NNPACK does not support, libtorch asks it again at every 2-D convolution and logs one warning line
        // each time; where it is supported it is one more convolution backend for ConvolutionCheck to distrust.
        torch.globalContext().setUserEnabledNNPACK(false);
        if (System.getenv("OPENBLAS_NUM_THREADS") == null) setBlasThreads(1);
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

    /** Sets the bundled OpenBLAS's thread count; a libtorch built without OpenBLAS is left as it is. */
    private static void setBlasThreads(int n) {
        try {
            MethodHandle set = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global())
                    .find("openblas_set_num_threads")
                    .map(symbol -> Linker.nativeLinker().downcallHandle(symbol,
                            FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)))
                    .orElse(null);
            if (set != null) set.invokeExact(n);
        } catch (Throwable notAvailable) {
            // No OpenBLAS next to this libtorch (another BLAS or platform), or native access denied: this is a speed
            // setting only, so the run goes on with OpenBLAS's own default.
        }
    }

    /** libtorch's version, the oneDNN inside it and the CPU capability its own kernels were dispatched to. */
    public static java.util.Map<String, String> versions() {
        init();
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        String jar = torch.class.getPackage().getImplementationVersion();
        out.put("libtorch", jar == null ? "bytedeco pytorch (version not recorded in the jar)" : "bytedeco pytorch " + jar);
        out.put("onednn", torch.get_mkldnn_version().getString());
        String capability = torch.show_config().getString().lines().map(String::trim)
                .filter(l -> l.startsWith("- CPU capability usage:")).findFirst().orElse("");
        out.put("libtorch cpu capability", capability.isEmpty() ? "unknown" : capability.substring(23).trim());
        return out;
    }

    /**
     * Native objects made through the bindings (tensor handles, options, scalars) and not freed yet. A loop that
     * frees what it makes keeps this flat; one that leaves objects to the garbage collector sees it climb until a
     * collection happens to run, which is what leak tests look for.
     */
    public static long liveHandles() {
        init();
        return Pointer.totalCount();
    }

    public static boolean cudaAvailable() {
        init();
        return torch.cuda_is_available();
    }
}
