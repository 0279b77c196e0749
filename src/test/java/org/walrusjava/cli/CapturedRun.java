package org.walrusjava.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The CLI run in-process with its output captured: exit code, stdout and stderr. */
record CapturedRun(int code, String out, String err) {
    static CapturedRun of(String... args) {
        PrintStream stdout = System.out, stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new CapturedRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** stderr without progress lines and library log noise (SLF4J's notice on first use of jhdf). */
    List<String> messages() {
        return err.lines().filter(l -> !l.startsWith("SLF4J") && !l.matches("^(rollout|eval): \\d+/\\d+ .*")).toList();
    }

    @Override
    public String toString() {
        return "exit " + code + "\nstdout:\n" + out + "stderr:\n" + err;
    }
}
