package org.walrusjava.train;

import java.io.PrintStream;

/** One progress line at most every few seconds: step, rate, loss, learning rate and time left. */
final class ProgressReporter {
    private final PrintStream out;
    private final long intervalNanos;
    private final long startStep;
    private final long start = System.nanoTime();
    private long lastPrint;

    ProgressReporter(PrintStream out, double intervalSeconds, long startStep) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.startStep = startStep;
        this.lastPrint = start;
    }

    void step(long step, long total, double loss, double lr, long samples, boolean force) {
        long now = System.nanoTime();
        if (out == null || (!force && now - lastPrint < intervalNanos)) return;
        lastPrint = now;
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = (step - startStep) / seconds;
        String eta = rate > 0 && step < total ? String.format(", ETA %s", duration((total - step) / rate)) : "";
        out.printf("train: step %d/%d, %.2f steps/s (%.1f samples/s), loss %.4f, lr %.3g%s%n", step, total, rate,
                samples / seconds, loss, lr, eta);
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
