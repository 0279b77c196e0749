package org.walrusjava.train;

/**
 * The learning rate as a function of the scheduler counter e (0 at the start, +1 per scheduler step: per epoch
 * in the released recipe, per optimizer step otherwise).
 */
public interface LearningRateSchedule {
    double at(long e);

    static LearningRateSchedule constant(double lr) {
        return e -> lr;
    }

    /**
     * The released InverseSqrtLinearWarmupSqrtCooldown (spec §5): linear warmup from f * base over W steps, then
     * base / (1 + sqrt(e - W + 128) - sqrt(128)), then over the last K steps a square-root cooldown to 0. The
     * cooldown starts from the inverse-sqrt value at E - K computed without subtracting W, so the curve steps
     * slightly at e = E - K + 1; that is what the reference does, and it is reproduced here.
     */
    static LearningRateSchedule inverseSqrtWithWarmupAndCooldown(double base, long maxEpochs, long warmup,
            long cooldown, double warmupFactor) {
        double offset = 128;
        long decayEnd = maxEpochs - cooldown;
        return e -> {
            // warmup = 0 or cooldown = 0 switch that phase off (the reference would divide by zero there).
            if (warmup > 0 && e <= warmup) return base * (warmupFactor + (1 - warmupFactor) * e / warmup);
            if (cooldown == 0 || e <= decayEnd)
                return base / (1 + Math.sqrt(e - warmup + offset) - Math.sqrt(offset));
            double start = base / (1 + Math.sqrt(offset + decayEnd) - Math.sqrt(offset));
            // Past maxEpochs the reference would turn negative; stay at zero instead.
            return start * Math.max(0, 1 - Math.sqrt((double) (e - decayEnd - 1) / cooldown));
        };
    }
}
