package org.walrusjava.io;

import java.util.OptionalInt;

/**
 * The `trainer` section of an experiment config, with the upstream Trainer's defaults for absent keys.
 *
 * @param predictionType "delta" (the network predicts normalised increments) or "full"
 * @param clipGradient maximum gradient norm; 0 disables clipping
 * @param lossMultiplier factor on the loss before backpropagation (100 in the released recipe)
 * @param ampType "float16" or "bfloat16", used when enableAmp is set
 * @param minimumContext leading time positions left out of the loss
 * @param maxEpochs `max_epoch`: training length in epochs, if given
 * @param lrSchedulerPerStep step the schedule per optimizer step instead of per epoch
 * @param epsilon floor of the normalisation statistics during training
 */
public record TrainerOptions(
        String predictionType,
        int gradAccSteps,
        double clipGradient,
        double lossMultiplier,
        boolean enableAmp,
        String ampType,
        int minimumContext,
        OptionalInt maxEpochs,
        boolean lrSchedulerPerStep,
        double epsilon) {

    static TrainerOptions from(ConfigTree t) {
        return new TrainerOptions(
                t.optionalString("prediction_type").orElse("delta"),
                t.intOr("grad_acc_steps", 1),
                t.doubleOr("clip_gradient", 0.0),
                t.doubleOr("loss_multiplier", 1.0),
                t.booleanOr("enable_amp", false),
                t.optionalString("amp_type").orElse("float16"),
                t.intOr("minimum_context", 1),
                t.optionalInt("max_epoch"),
                t.booleanOr("lr_scheduler_per_step", false),
                t.doubleOr("epsilon", 1e-5));
    }
}
