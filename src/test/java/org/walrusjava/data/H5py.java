package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs well_h5py.py (next to this class in test resources) with Debian's /usr/bin/python3, which has h5py when
 * python3-h5py is installed (bin/test installs it when run as root). Missing Python or h5py FAILS the calling test:
 * the h5py comparison is the proof that our files read like the originals, so it must never be skipped.
 */
public final class H5py {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    public record Result(int exitCode, String output) {
    }

    public static Result run(String mode, Path... files) {
        assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: install python3-h5py (apt-get install -y"
                + " python3-h5py); the h5py checks never skip");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script().toString(), mode));
        for (Path file : files) {
            command.add(file.toString());
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("well_h5py.py " + mode + " timed out");
            }
            if (output.contains("No module named 'h5py'")) {
                fail(PYTHON + " has no h5py: apt-get install -y python3-h5py (the h5py checks never skip)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path script() {
        try {
            return Path.of(H5py.class.getResource("well_h5py.py").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
