package org.walrusjava.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What /proc/cpuinfo says of the first processor, and what that means for the kernels walrus-java runs. */
public final class CpuInfo {
    /**
     * Instructions that compute bf16 products at full rate: AVX-512 BF16 dot products and AMX tiles on x86, the BF16
     * extension on Arm. Without them libtorch converts bf16 to fp32 around fp32 arithmetic, which is slower than fp32.
     */
    private static final Set<String> BF16_INSTRUCTIONS = Set.of("avx512_bf16", "amx_bf16", "bf16");

    private CpuInfo() {}

    /** Each field of the first processor's entry ("model name", "flags", ...); empty where there is no /proc. */
    public static Map<String, String> fields() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0) out.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        } catch (IOException | SecurityException notLinux) {
            // callers describe the machine from the JVM's own properties instead
        }
        return out;
    }

    /** The instruction-set flags ("flags" on x86, "Features" on Arm). */
    public static Set<String> flags() {
        Map<String, String> f = fields();
        return Set.of(f.getOrDefault("flags", f.getOrDefault("Features", "")).split("\\s+"));
    }

    /** Whether bf16 matrix products can run faster than fp32 ones here (see {@link #BF16_INSTRUCTIONS}). */
    public static boolean hasFullRateBf16() {
        return flags().stream().anyMatch(BF16_INSTRUCTIONS::contains);
    }
}
