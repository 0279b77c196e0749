package org.walrusjava.io;

import java.util.OptionalInt;

/**
 * The `lr_scheduler` section (InverseSqrtLinearWarmupSqrtCooldown in the released recipe), with that class's
 * defaults for absent keys.
 *
 * @param target the Python class Hydra would instantiate
 * @param maxEpochs the schedule's length: its own max_epochs if set, else the trainer's max_epoch (upstream
 *     passes that one when it builds the scheduler)
 * @param offset and exponent shape the inverse-square-root decay
 */
public record SchedulerOptions(
        String target,
        int warmupEpochs,
        int cooldownEpochs,
        double warmupLrFactor,
        double cooldownLrFactor,
        double offset,
        double exponent,
        OptionalInt maxEpochs) {

    /** The class name without its module, e.g. "InverseSqrtLinearWarmupSqrtCooldown". */
    public String kind() {
        return target.substring(target.lastIndexOf('.') + 1);
    }

    static SchedulerOptions from(ConfigTree t, TrainerOptions trainer) {
        OptionalInt own = t.optionalInt("max_epochs");
        return new SchedulerOptions(
                t.requiredString("_target_"),
                t.intOr("warmup_epochs", 1),
                t.intOr("cooldown_epochs", 1),
                t.doubleOr("warmup_lr_factor", 0.1),
                t.doubleOr("cooldown_lr_factor", 0.001),
                t.doubleOr("offset", 128),
                t.doubleOr("exponent", 0.5),
                own.isPresent() ? own : trainer.maxEpochs());
    }
}
