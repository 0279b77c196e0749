package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `walrus bench`'s options (the benchmarks themselves are measured in their own tests). */
class BenchCommandTest {
    @Test
    void takesTheDeviceOptionOfTheOtherModelCommands() {
        CliRun r = CliRun.of("bench", "rollout", "--device", "cuda:x");
        assertEquals(2, r.code());
        assertEquals("walrus: --device: unknown device 'cuda:x' (use cpu, cuda or cuda:N)\n", r.err());
        assertTrue(CliRun.of("bench", "--help").out().contains("--device=DEV"));
    }

    @Test
    void theCpuOnlyBenchmarksSaySoForAnotherDevice() {
        CliRun r = CliRun.of("bench", "train", "--device", "cuda:1");
        assertEquals(2, r.code());
        assertEquals("walrus: --device cuda:1: bench train measures the CPU only; --device applies to bench model and"
                + " bench rollout\n", r.err());
    }
}
