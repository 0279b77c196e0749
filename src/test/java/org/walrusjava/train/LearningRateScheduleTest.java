package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Released schedule (E = 200, W = 10, K = 10, f = 0.1, base 2e-4) at the spec's check points. */
class LearningRateScheduleTest {
    static final double BASE = 2e-4;
    final LearningRateSchedule s = LearningRateSchedule.inverseSqrtWithWarmupAndCooldown(BASE, 200, 10, 10, 0.1);

    @Test
    void warmupStartsAtTenPercentAndReachesBase() {
        assertEquals(2e-5, s.at(0), 1e-18);
        assertEquals(BASE * (0.1 + 0.9 * 5 / 10.0), s.at(5), 1e-18);
        assertEquals(BASE, s.at(10), 1e-18);
    }

    @Test
    void inverseSqrtDecayAfterWarmup() {
        // e = W + 1: step 1 past the offset of 128
        assertEquals(BASE / (1 + Math.sqrt(129) - Math.sqrt(128)), s.at(11), 1e-18);
        assertEquals(1.91551e-4, s.at(11), 1e-9);
        // e = E - K = 190: the last value of the decay phase
        assertEquals(BASE / (1 + Math.sqrt(308) - Math.sqrt(128)), s.at(190), 1e-18);
        assertEquals(2.76387e-5, s.at(190), 1e-10);
    }

    @Test
    void cooldownStartsFromUnshiftedValueAndDropsWithSquareRoot() {
        double start = BASE / (1 + Math.sqrt(128 + 190) - Math.sqrt(128));
        // e = E - K + 1: factor 1; note the step down from s(190) (sqrt(318) vs sqrt(308)), as in the reference
        assertEquals(start, s.at(191), 1e-18);
        assertTrue(s.at(191) < s.at(190));
        assertEquals(start * (1 - Math.sqrt(4 / 10.0)), s.at(195), 1e-18);
        // e = E: factor 1 - sqrt(9/10)
        assertEquals(start * (1 - Math.sqrt(0.9)), s.at(200), 1e-18);
        assertEquals(1.36502e-6, s.at(200), 1e-11);
        assertEquals(0.0, s.at(300), "never negative past the end");
    }

    @Test
    void withoutWarmupOrCooldownStartsAtBaseAndOnlyDecays() {
        LearningRateSchedule plain = LearningRateSchedule.inverseSqrtWithWarmupAndCooldown(1.0, 100, 0, 0, 0.1);
        assertEquals(1.0, plain.at(0), 1e-15);
        assertEquals(1 / (1 + Math.sqrt(228) - Math.sqrt(128)), plain.at(100), 1e-15);
    }
}
