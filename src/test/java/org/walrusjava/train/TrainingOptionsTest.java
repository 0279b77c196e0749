package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.io.ExperimentConfig;

/** The released recipe as a config states it (the fixture config plus the released schedule sections). */
class TrainingOptionsTest {
    static ExperimentConfig released(String... more) {
        String[] base = {"+lr_scheduler._target_=walrus.optim.schedulers.InverseSqrtLinearWarmupSqrtCooldown",
            "+lr_scheduler.warmup_epochs=10", "+lr_scheduler.cooldown_epochs=10", "+trainer.max_epoch=200",
            "+trainer.lr_scheduler_per_step=false", "+data.module_parameters.max_samples=2000",
            "+data.module_parameters.max_dt_stride=5", "model.gradient_checkpointing_freq=2"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return ExperimentConfig.load(TrainerResumeTest.CONFIG, all);
    }

    @Test
    void releasedRecipe() {
        TrainingOptions o = TrainingOptions.fromConfig(released());
        assertEquals(4, o.gradAccSteps());
        assertEquals(10.0, o.clipGradient());
        assertEquals(1, o.minimumContext());
        assertEquals(new AdamW.Settings(2e-4, 0.9, 0.999, 1e-10, 1e-4), o.optimizer());
        assertEquals(6, o.nInput());
        assertEquals(1, o.minStride());
        assertEquals(5, o.maxStride());
        assertTrue(o.augment());
        assertEquals(new ActivationCheckpointing(2, false), o.activationCheckpointing());
        assertEquals(TrainingOptions.Precision.FP32, o.precision());
        // an "epoch" is 2000 micro-batches = 500 optimizer steps; 200 epochs
        assertEquals(500, o.schedule().stepsPerEpoch());
        assertEquals(100_000, o.steps());
        assertFalse(o.schedule().perStep());
        assertEquals(0, o.schedule().counter(499));
        assertEquals(1, o.schedule().counter(500));
        LearningRateSchedule lr = o.schedule().curve(o.optimizer().lr());
        assertEquals(2e-5, lr.at(o.schedule().counter(0)), 1e-15);
        assertEquals(2e-4, lr.at(o.schedule().counter(10 * 500)), 1e-15);
    }

    @Test
    void perStepScheduleAndBf16AndUnsupportedChoices() {
        TrainingOptions o = TrainingOptions.fromConfig(released("+trainer.lr_scheduler_per_step=true",
                "trainer.enable_amp=true", "+trainer.amp_type=bfloat16"));
        assertTrue(o.schedule().perStep());
        assertEquals(777, o.schedule().counter(777));
        assertEquals(TrainingOptions.Precision.BF16, o.precision());
        UserError fp16 = assertThrows(UserError.class, () -> TrainingOptions.fromConfig(released("trainer.enable_amp=true")));
        assertTrue(fp16.getMessage().contains("bfloat16"), fp16.getMessage());
        assertFalse(TrainingOptions.fromConfig(released("+trainer.augment=false")).augment());
        UserError yes = assertThrows(UserError.class, () -> TrainingOptions.fromConfig(released("+trainer.augment=yes")));
        assertEquals(TrainerResumeTest.CONFIG + ": trainer.augment should be true or false, not 'yes'", yes.getMessage());
        UserError sgd = assertThrows(UserError.class,
                () -> TrainingOptions.fromConfig(released("optimizer._target_=torch.optim.SGD")));
        assertTrue(sgd.getMessage().contains("AdamW"), sgd.getMessage());
    }

    @Test
    void activationCheckpointingChoices() {
        assertEquals(new ActivationCheckpointing(2, true),
                TrainingOptions.fromConfig(released("+trainer.activation_recompute=selective")).activationCheckpointing());
        UserError partial = assertThrows(UserError.class,
                () -> TrainingOptions.fromConfig(released("+trainer.activation_recompute=partial")));
        assertEquals(TrainerResumeTest.CONFIG + ": trainer.activation_recompute 'partial' is not one of full, selective",
                partial.getMessage());
        assertEquals(new ActivationCheckpointing(3, true), ActivationCheckpointing.parse("3:selective"));
        assertEquals(new ActivationCheckpointing(3, false), ActivationCheckpointing.parse(" 3 "));
        assertEquals(ActivationCheckpointing.OFF, ActivationCheckpointing.parse("0"));
        assertEquals("1:selective", ActivationCheckpointing.parse("1:selective").spec());
        assertEquals("every 1, selective", ActivationCheckpointing.parse("1:selective").describe());
        assertThrows(UserError.class, () -> ActivationCheckpointing.parse("one"));
        assertThrows(UserError.class, () -> ActivationCheckpointing.parse("-1"));
    }
}
