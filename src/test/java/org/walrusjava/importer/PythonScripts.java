package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with Debian's /usr/bin/python3 (numpy and h5py come with python3-h5py, which bin/test
 * installs): the independent writer of the source files and the independent reader of what was imported. A
 * missing interpreter or module fails the test; these checks never skip.
 */
public final class PythonScripts {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private PythonScripts() {}

    /** Runs {@code script} with {@code args}; returns its stdout, failing the test on a non-zero exit. */
    public static String run(String script, Object... args) {
        assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: apt-get install -y python3-h5py");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        for (Object a : args) command.add(String.valueOf(a));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python timed out");
            assertEquals(0, process.exitValue(), "python failed:\n" + output);
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
