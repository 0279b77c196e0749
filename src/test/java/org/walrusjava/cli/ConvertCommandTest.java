package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.io.TorchCheckpoint;
import org.walrusjava.tensor.Tensor;

class ConvertCommandTest {
    static final Path WALRUS_PT = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny", "walrus.pt");

    @TempDir
    Path dir;

    @Test
    void convertsPtToSafetensorsAndBack() throws Exception {
        Path st = dir.resolve("walrus.safetensors");
        CliRun r = CliRun.of("convert", WALRUS_PT.toString(), st.toString());
        assertEquals(0, r.code(), r.err());
        // (2,574,919 parameters + 2 x 2 RoPE frequencies) x 4 bytes
        assertTrue(r.out().contains("59 tensors, 10,299,692 bytes of weights"), r.out());
        assertTrue(r.out().contains("wrote " + st + " (SAFETENSORS)"), r.out());

        Path pt = dir.resolve("again.pt");
        assertEquals(0, CliRun.of("convert", "--list", st.toString(), pt.toString()).code());
        Map<String, Tensor> original = TorchCheckpoint.read(WALRUS_PT);
        Map<String, Tensor> viaSafetensors = SafeTensors.read(st);
        Map<String, Tensor> back = TorchCheckpoint.read(pt);
        assertEquals(List.copyOf(original.keySet()), List.copyOf(back.keySet()));
        original.forEach((k, t) -> {
            assertEquals(t.toBytes(), viaSafetensors.get(k).toBytes(), k);
            assertEquals(t.toBytes(), back.get(k).toBytes(), k);
        });
        assertEquals(1.3f, back.get("encoder_dummy").item());
    }

    @Test
    void badInputIsOneLineAndNonZero() throws Exception {
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(WALRUS_PT), 4096));
        Path out = dir.resolve("out.safetensors");
        CliRun r = CliRun.of("convert", cut.toString(), out.toString());
        assertEquals(2, r.code());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("walrus: " + cut + ": "), err);
        assertFalse(Files.exists(out), "nothing is written for a bad input");

        CliRun ext = CliRun.of("convert", WALRUS_PT.toString(), dir.resolve("out.npz").toString());
        assertEquals(2, ext.code());
        assertTrue(ext.err().contains("unknown checkpoint extension"), ext.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(cut), files.toList(), "no partial output is left behind");
        }
    }
}
