package org.walrusjava.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the floating-point work (two per multiply-add) of the matrix products, attention and convolutions that run
 * while a count is open: {@code try (FlopCount c = FlopCount.start()) { ...; c.flops(); }}. Benchmarks divide it by
 * the machine's measured GEMM rate to state the least time a pass could take there, which makes a timing mean the
 * same on any CPU. Counts are taken from operand shapes, so they are exact for the products and do not depend on
 * which kernel ran.
 */
public final class FlopCount implements AutoCloseable {
    private static volatile FlopCount active;
    private final AtomicLong flops = new AtomicLong();

    private FlopCount() {}

    /** Starts counting (one count at a time per process; benchmarks are single-purpose processes). */
    public static synchronized FlopCount start() {
        if (active != null) throw new IllegalStateException("a FLOP count is already open");
        active = new FlopCount();
        return active;
    }

    public long flops() {
        return flops.get();
    }

    static void add(double multiplyAdds) {
        FlopCount c = active;
        if (c != null) c.flops.addAndGet((long) (2 * multiplyAdds));
    }

    @Override
    public synchronized void close() {
        synchronized (FlopCount.class) {
            if (active == this) active = null;
        }
    }
}
