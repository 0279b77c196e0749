package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training benchmark on the tiny size with 8 blocks (so that block activations weigh against the encoder's
 * convolution workspace): real step times, and checkpointing every block measurably saves step memory.
 */
class TrainBenchmarkTest {
    @Test
    void tinyStepTimesAndCheckpointingMemorySaving() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<TrainBenchmark.Row> rows = TrainBenchmark.run(new PrintStream(text, true, StandardCharsets.UTF_8),
                List.of("tiny"), 8, List.of(ActivationCheckpointing.OFF, new ActivationCheckpointing(1, false)), List.of("fp32"), 1);
        System.out.print(text.toString(StandardCharsets.UTF_8));
        assertEquals(2, rows.size());
        TrainBenchmark.Row off = rows.get(0), on = rows.get(1);
        assertTrue(off.stepSeconds() > 0 && on.stepSeconds() > 0);
        assertTrue(off.peakResident() > off.residentBefore());
        assertTrue(on.stepMemory() < 0.8 * off.stepMemory(), "checkpointing " + on.stepMemory() + " vs " + off.stepMemory());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("of the step memory"));
    }
}
