package org.walrusjava.train;

/**
 * Seeds derived from the run seed and counters (SplitMix64 mixing), so that every random choice of a micro-batch
 * is a function of (seed, micro-batch number) and a resumed run repeats it without saved generator states.
 */
final class Seeds {
    private Seeds() {}

    static long mix(long seed, long... counters) {
        long z = seed;
        for (long c : counters) z = finish(z + 0x9E3779B97F4A7C15L * (c + 1));
        return z;
    }

    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
