package org.walrusjava.doctor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.walrusjava.tensor.CpuInfo;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeRuntime;

/** What a bug report about numbers needs to say about the machine they came from. */
public record Machine(Map<String, String> facts) {
    /** The instruction-set extensions that decide which kernels libtorch, oneDNN and OpenBLAS pick. */
    private static final Set<String> ISA = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx512_vp2intersect", "amx_tile",
            "amx_bf16", "amx_int8", "asimd", "sve", "sve2", "bf16", "i8mm");

    public static Machine describe(Device device) {
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, String> cpu = CpuInfo.fields();
        f.put("cpu", cpu.getOrDefault("model name", cpu.getOrDefault("Hardware", System.getProperty("os.arch"))));
        String flags = cpu.getOrDefault("flags", cpu.getOrDefault("Features", ""));
        f.put("isa", String.join(" ", List.of(flags.split("\\s+")).stream().filter(ISA::contains).toList()));
        f.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        f.put("threads", NativeRuntime.threads() + " (WALRUS_THREADS / OMP_NUM_THREADS)");
        String tunables = System.getenv("GLIBC_TUNABLES");
        f.put("allocator", tunables == null ? "glibc defaults (bin/native-env sets GLIBC_TUNABLES)"
                : "GLIBC_TUNABLES=" + tunables);
        String spin = System.getenv("GOMP_SPINCOUNT");
        f.put("openmp spin", spin == null ? "libgomp default (bin/native-env sets GOMP_SPINCOUNT)" : "GOMP_SPINCOUNT=" + spin);
        f.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        f.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        f.putAll(NativeRuntime.versions());
        f.put("openblas", openBlas());
        f.put("device", device + (NativeRuntime.cudaAvailable()
                ? " (CUDA available to libtorch)" : " (no CUDA device visible to libtorch)"));
        return new Machine(f);
    }

    /** OpenBLAS's build line and the kernel it chose for this CPU, or why they are unknown. */
    private static String openBlas() {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            return call(lib, "openblas_get_config") + "; kernel " + call(lib, "openblas_get_corename");
        } catch (Throwable unavailable) {
            return "not found next to libtorch";
        }
    }

    private static String call(SymbolLookup lib, String function) throws Throwable {
        MemorySegment fn = lib.find(function).orElseThrow();
        MemorySegment s = (MemorySegment) Linker.nativeLinker()
                .downcallHandle(fn, FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
        return s.reinterpret(Long.MAX_VALUE).getString(0).trim();
    }
}
