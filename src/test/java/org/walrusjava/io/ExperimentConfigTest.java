package org.walrusjava.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.model.WalrusConfig;

class ExperimentConfigTest {
    static final Path FIXTURES = Path.of(System.getProperty("walrus.fixtures"));
    static final Path RELEASED = FIXTURES.resolve("walrus-released/extended_config.yaml");
    static final Path TINY = FIXTURES.resolve("walrus-tiny/extended_config.yaml");

    @TempDir
    Path dir;

    @Test
    void releasedConfigGivesTheReleasedArchitecture() {
        ExperimentConfig c = ExperimentConfig.load(RELEASED);
        WalrusConfig m = c.model();
        WalrusConfig expected = WalrusConfig.released();
        assertEquals(1408, m.hiddenDim());
        assertEquals(352, m.intermediateDim());
        assertEquals(40, m.processorBlocks());
        assertEquals(16, m.spaceHeads());
        assertEquals(16, m.timeHeads());
        assertEquals(88, m.headDim());
        assertEquals(67, m.nStates());
        assertEquals(16, m.groups(), "the model's own groups=16, not the encoder's 12");
        assertTrue(m.causalInTime() && m.jitterPatches() && m.usePeriodicFixedJitter());
        assertEquals(List.of(2, 3), m.includeD());
        assertArrayEquals(expected.baseKernel(), m.baseKernel());
        assertEquals(0.05, m.dropPath());
        assertEquals(0.0, m.inputFieldDrop());
        assertEquals(2, m.gradientCheckpointingFreq());
        assertEquals(Optional.of("Walrus-wella-delta-Isotr[Space-Adapt-]-AdamW-0.0002"), c.name());
    }

    @Test
    void releasedVocabularyAndDatasets() {
        ExperimentConfig c = ExperimentConfig.load(RELEASED);
        List<String> v = c.vocabulary();
        assertEquals(67, v.size());
        assertEquals(List.of("closed_boundary", "open_boundary", "bias_correction", "pressure"), v.subList(0, 4));
        assertEquals("density", v.get(28));
        assertEquals("C_zz", v.get(66));
        assertEquals("log10_density", v.get(55));
        assertEquals(28, c.fieldIndex("density"));
        assertEquals(-1, c.fieldIndex("vorticity"));

        DataOptions d = c.data();
        assertEquals(2, d.batchSize());
        assertEquals(6, d.nStepsInput());
        assertEquals(1, d.nStepsOutput());
        assertEquals(1, d.minDtStride());
        assertEquals(5, d.maxDtStride());
        assertEquals(OptionalInt.of(2000), d.maxSamples());
        assertEquals(Optional.of("/mnt/gpuxl/polymathic/the_well/datasets/"), d.wellBasePath());
        assertEquals(19, d.datasets().size());
        assertEquals("active_matter", d.datasets().keySet().iterator().next());
        DatasetOptions supernova = d.datasets().get("supernova_explosion_128");
        assertEquals(Map.of("density", "torch.log10", "temperature", "torch.log10"), supernova.fieldTransforms());
        assertEquals(0.5, supernova.stepDownsampleFactor());
        assertEquals(0.5, supernova.batchDownsampleFactor());
        assertEquals(Map.of("density", "torch.zeros_like"),
                d.datasets().get("acoustic_scattering_maze").fieldTransforms());
        DatasetOptions shear = d.datasets().get("shear_flow");
        assertEquals(Map.of(), shear.fieldTransforms());
        assertEquals(1.0, shear.stepDownsampleFactor());
        assertEquals(List.of(), shear.includeFilters());
        assertTrue(d.datasets().get("flowbench_FPO_NS_2D_512x128_harmonics").path().orElseThrow().endsWith("harmonics"));
    }

    @Test
    void releasedTrainingRecipe() {
        ExperimentConfig c = ExperimentConfig.load(RELEASED);
        TrainerOptions t = c.trainer();
        assertEquals("delta", t.predictionType());
        assertEquals(4, t.gradAccSteps());
        assertEquals(10.0, t.clipGradient());
        assertEquals(100.0, t.lossMultiplier());
        assertFalse(t.enableAmp());
        assertEquals(OptionalInt.of(200), t.maxEpochs());
        assertFalse(t.lrSchedulerPerStep());
        assertEquals(1, t.minimumContext());

        OptimizerOptions o = c.optimizer();
        assertEquals("AdamW", o.kind());
        assertEquals(2e-4, o.lr());
        assertEquals(1e-4, o.weightDecay());
        assertEquals(1e-10, o.eps());
        assertEquals(0.9, o.beta1());
        assertEquals(0.999, o.beta2());

        SchedulerOptions s = c.lrScheduler().orElseThrow();
        assertEquals("InverseSqrtLinearWarmupSqrtCooldown", s.kind());
        assertEquals(10, s.warmupEpochs());
        assertEquals(10, s.cooldownEpochs());
        assertEquals(0.1, s.warmupLrFactor());
        assertEquals(0.001, s.cooldownLrFactor());
        assertEquals(OptionalInt.of(200), s.maxEpochs(), "taken from trainer.max_epoch, as upstream does");

        assertEquals(Optional.of("hsdp"), c.find("distribution.distribution_type"));
        assertEquals(Optional.of(List.of("model")), c.find("frozen_components"));
        assertEquals(Optional.of(4), c.find("model.encoder.kernel_scales_seq.1.0"));
        assertEquals(Optional.empty(), c.find("model.no_such_key"));
    }

    @Test
    void tinyConfigWithAnchorsAndNoSchedule() {
        ExperimentConfig c = ExperimentConfig.load(TINY);
        WalrusConfig m = c.model();
        assertEquals(64, m.hiddenDim());
        assertEquals(2, m.processorBlocks());
        assertEquals(4, m.spaceHeads());
        assertEquals(4, m.timeHeads());
        assertEquals(16, m.headDim());
        assertEquals(16, m.intermediateDim());
        assertEquals(67, m.nStates());
        assertEquals(0.0, m.dropPath());
        assertEquals(0, m.gradientCheckpointingFreq());
        assertArrayEquals(new int[][] {{8, 4}, {8, 4}, {8, 4}}, m.baseKernel());
        assertEquals(Optional.of(List.of(List.of(8, 4), List.of(8, 4), List.of(8, 4))),
                c.find("model.decoder.base_kernel_size3d"), "the *id003 alias resolves");
        assertEquals(c.vocabulary(), ExperimentConfig.load(RELEASED).vocabulary());
        assertEquals(Optional.empty(), c.lrScheduler());
        assertEquals(1, c.data().batchSize());
        assertEquals(1, c.data().maxDtStride(), "absent: The Well's default");
        assertEquals(Map.of(), c.data().datasets());
        assertEquals(OptionalInt.empty(), c.trainer().maxEpochs());
        assertEquals(4, c.trainer().gradAccSteps());
    }

    @Test
    void overridesApplyBeforeTyping() {
        ExperimentConfig c = ExperimentConfig.load(TINY, "trainer.grad_acc_steps=2", "optimizer.lr=1e-3",
                "model.encoder.base_kernel_size3d.0.0=4", "+trainer.max_epoch=7", "+lr_scheduler._target_=a.b.Cosine",
                "data.module_parameters.n_steps_input=3", "model.include_d=[3]");
        assertEquals(2, c.trainer().gradAccSteps());
        assertEquals(1e-3, c.optimizer().lr());
        assertEquals(4, c.model().baseKernel()[0][0]);
        assertEquals(Optional.of(8), c.find("model.decoder.base_kernel_size3d.0.0"),
                "an override of one alias leaves the other use alone");
        assertEquals(OptionalInt.of(7), c.lrScheduler().orElseThrow().maxEpochs());
        assertEquals("Cosine", c.lrScheduler().orElseThrow().kind());
        assertEquals(3, c.data().nStepsInput());
        assertEquals(List.of(3), c.model().includeD());

        UserError typo = assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "trainer.grad_acc_step=2"));
        assertEquals(TINY + ": override trainer.grad_acc_step: no such key (write +trainer.grad_acc_step=... to add it)",
                typo.getMessage());
        assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "trainer.grad_acc_steps"));
        UserError type = assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "model.hidden_dim=wide"));
        assertEquals(TINY + ": model.hidden_dim should be an integer, not 'wide'", type.getMessage());
    }

    @Test
    void badFilesNameTheFileAndTheKey() throws IOException {
        String tiny = Files.readString(TINY);
        Path noHidden = write("no-hidden.yaml", tiny.replace("  hidden_dim: 64\n", ""));
        assertEquals(noHidden + ": missing required key model.hidden_dim",
                assertThrows(UserError.class, () -> ExperimentConfig.load(noHidden)).getMessage());

        Path noHeads = write("no-heads.yaml", tiny.replace("      num_heads: 4\n      bias_type", "      bias_type"));
        assertEquals(noHeads + ": missing required key model.processor.time_mixing.num_heads",
                assertThrows(UserError.class, () -> ExperimentConfig.load(noHeads)).getMessage());

        Path clash = write("clash.yaml", tiny.replace("    C_zz: 66", "    C_zz: 28"));
        assertTrue(assertThrows(UserError.class, () -> ExperimentConfig.load(clash)).getMessage()
                .contains("gives index 28 to both density and C_zz"));

        Path broken = write("broken.yaml", tiny.replace("  hidden_dim: 64", "  hidden_dim: [64"));
        String msg = assertThrows(UserError.class, () -> ExperimentConfig.load(broken)).getMessage();
        assertTrue(msg.startsWith(broken + ": not valid YAML at line "), msg);
        assertEquals(1, msg.lines().count());

        Path missing = dir.resolve("absent.yaml");
        assertEquals(missing + ": no such file",
                assertThrows(UserError.class, () -> ExperimentConfig.load(missing)).getMessage());
        Path scalar = write("scalar.yaml", "just a string\n");
        assertEquals(scalar + ": not a YAML mapping of config sections",
                assertThrows(UserError.class, () -> ExperimentConfig.load(scalar)).getMessage());
    }

    @Test
    void optionsTheModelDoesNotVaryAreRefusedUnlessTheyTakeTheReleasedValue() {
        assertEquals(TINY + ": model.max_d = 2 is not implemented (only 3, as in the released model)",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "model.max_d=2")).getMessage());
        assertEquals(TINY + ": model.decoder.learned_pad = false is not implemented (only true, as in the released"
                + " model)", assertThrows(UserError.class,
                () -> ExperimentConfig.load(TINY, "model.decoder.learned_pad=false")).getMessage());
        assertEquals(TINY + ": model.processor.time_mixing.bias_type = none is not implemented (only rel, as in the"
                + " released model)", assertThrows(UserError.class,
                () -> ExperimentConfig.load(TINY, "model.processor.time_mixing.bias_type=none")).getMessage());
        assertDoesNotThrow(() -> ExperimentConfig.load(TINY, "model.max_d=3", "model.encoder.learned_pad=true"));
    }

    @Test
    void booleanKeysTakeOnlyTrueOrFalse() throws IOException {
        String tiny = Files.readString(TINY);
        // YAML 1.1 reads yes/no/on/off as booleans; here they stay words and a boolean key refuses them.
        Path yes = write("yes.yaml", tiny.replace("  jitter_patches: true", "  jitter_patches: yes"));
        assertEquals(yes + ": model.jitter_patches should be true or false, not 'yes'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(yes)).getMessage());
        Path off = write("off.yaml", tiny.replace("  causal_in_time: true", "  causal_in_time: off"));
        assertEquals(off + ": model.causal_in_time should be true or false, not 'off'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(off)).getMessage());
        assertEquals(TINY + ": trainer.enable_amp should be true or false, not '1'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "trainer.enable_amp=1")).getMessage());
        assertEquals(TINY + ": trainer.enable_amp should be true or false, not 'true'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "trainer.enable_amp='true'")).getMessage(),
                "a quoted word is a string");
        assertEquals(TINY + ": trainer.enable_amp should be true or false, not 'no'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "trainer.enable_amp=no")).getMessage());

        assertTrue(ExperimentConfig.load(TINY, "trainer.enable_amp=True").trainer().enableAmp());
        assertFalse(ExperimentConfig.load(TINY, "model.jitter_patches=false").model().jitterPatches());
        assertEquals(Optional.of(true), ExperimentConfig.load(TINY, "+trainer.augment=true").findBoolean("trainer.augment"));
        assertEquals(Optional.empty(), ExperimentConfig.load(TINY).findBoolean("trainer.augment"));
        assertEquals(TINY + ": trainer.augment should be true or false, not 'yes'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "+trainer.augment=yes")
                        .findBoolean("trainer.augment")).getMessage());
    }

    @Test
    void dropRatesAreNonNegativeAndDefaultAsUpstream() throws IOException {
        assertEquals(TINY + ": model.input_field_drop should be a rate of at least 0, not '-0.1'",
                assertThrows(UserError.class, () -> ExperimentConfig.load(TINY, "model.input_field_drop=-0.1"))
                        .getMessage());
        assertEquals(0.1, ExperimentConfig.load(TINY, "model.input_field_drop=0.1").model().inputFieldDrop());
        String tiny = Files.readString(TINY);
        Path absent = write("absent.yaml", tiny.replace("  input_field_drop: 0.0\n", "")
                .replace("  causal_in_time: true\n", "").replace("  use_periodic_fixed_jitter: true\n", ""));
        WalrusConfig m = ExperimentConfig.load(absent).model();
        assertEquals(0.1, m.inputFieldDrop(), "IsotropicModel's default");
        assertFalse(m.causalInTime(), "IsotropicModel's default");
        assertFalse(m.usePeriodicFixedJitter(), "IsotropicModel's default");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
