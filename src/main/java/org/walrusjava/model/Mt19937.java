package org.walrusjava.model;

/**
 * The Mersenne Twister that both torch's CPU generator and NumPy's legacy RandomState use, seeded the way
 * their integer-seed paths seed it (init_genrand on the low 32 bits), so seeded rolls match a reference run.
 */
final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int index = N;

    Mt19937(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }

    /** Next 32-bit output as an unsigned value. */
    long nextUnsigned() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** NumPy legacy randint(0, n): mask to the next power of two, redraw until below n. */
    int boundedMasked(int n) {
        long max = n - 1L;
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = nextUnsigned() & mask;
        } while (v > max);
        return (int) v;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int next = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) next ^= 0x9908b0df;
            mt[i] = next;
        }
        index = 0;
    }
}
