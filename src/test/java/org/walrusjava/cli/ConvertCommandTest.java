package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** Runs the CLI with stdout and stderr captured: [exit code, stdout, stderr]. */
    private static Object[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void convertsPtToSafetensorsAndBack() throws Exception {
        Path st = dir.resolve("walrus.safetensors");
        Object[] r = run("convert", WALRUS_PT.toString(), st.toString());
        assertEquals(0, r[0], (String) r[2]);
        // (2,574,919 parameters + 2 x 2 RoPE frequencies) x 4 bytes
        assertTrue(((String) r[1]).contains("59 tensors, 10,299,692 bytes of weights"), (String) r[1]);
        assertTrue(((String) r[1]).contains("wrote " + st + " (SAFETENSORS)"), (String) r[1]);

        Path pt = dir.resolve("again.pt");
        assertEquals(0, run("convert", "--list", st.toString(), pt.toString())[0]);
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
        Object[] r = run("convert", cut.toString(), out.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[2]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("walrus: " + cut + ": "), err);
        assertFalse(Files.exists(out), "nothing is written for a bad input");

        Object[] ext = run("convert", WALRUS_PT.toString(), dir.resolve("out.npz").toString());
        assertEquals(2, ext[0]);
        assertTrue(((String) ext[2]).contains("unknown checkpoint extension"), (String) ext[2]);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(cut), files.toList(), "no partial output is left behind");
        }
    }
}
