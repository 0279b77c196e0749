package org.walrusjava.cli;

import java.io.PrintWriter;

/** Progress of long work on stderr: done / total, rate and ETA, at most one line every two seconds. */
final class ProgressLine {
    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final String task;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private long done;
    private long total;

    ProgressLine(PrintWriter err, String task, String unit) {
        this.err = err;
        this.task = task;
        this.unit = unit;
    }

    void update(long done, long total) {
        this.done = done;
        this.total = total;
        long now = System.nanoTime();
        if (now - lastPrint >= INTERVAL_NANOS) {
            lastPrint = now;
            print(now);
        }
    }

    void finish() {
        print(System.nanoTime());
    }

    private void print(long now) {
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = done / seconds;
        String eta = done > 0 && done < total ? String.format(", ETA %.0f s", (total - done) / rate) : "";
        // Slow work (a 1.3B rollout step can take minutes) reads better as seconds per unit than as 0.0 units/s.
        String speed = rate >= 1 || done == 0 ? String.format("%.1f %s/s", rate, unit)
                : String.format("%.1f s per %s", 1 / rate, singular(unit));
        err.printf("%s: %d/%d %s (%.0f%%), %s%s%n", task, done, total, unit,
                total == 0 ? 100.0 : 100.0 * done / total, speed, eta);
        err.flush();
    }

    private static String singular(String unit) {
        if (unit.endsWith("sses")) return unit.substring(0, unit.length() - 2);
        return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }
}
