package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `walrus demo`'s argument errors (the demo itself runs in DemoTest). */
class DemoCommandTest {
    @Test
    void checkpointWithoutConfigIsOneLine() {
        CliRun r = CliRun.of("demo", "--seed", "1", "--checkpoint", "walrus.pt");
        assertEquals(2, r.code());
        assertEquals("walrus: --checkpoint and --config go together\n", r.err());
    }

    @Test
    void seedMustBeANumber() {
        CliRun r = CliRun.of("demo", "--seed", "one");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--seed") && r.err().contains("one"), r.err());
    }

    @Test
    void takesTheDeviceOptionOfTheOtherModelCommands() {
        CliRun r = CliRun.of("demo", "--quick", "--device", "tpu");
        assertEquals(2, r.code());
        assertEquals("walrus: --device: unknown device 'tpu' (use cpu, cuda or cuda:N)\n", r.err());
        assertTrue(CliRun.of("demo", "--help").out().contains("--device=DEV"));
    }
}
