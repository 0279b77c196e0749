package org.walrusjava.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.AtomicFiles;
import org.walrusjava.data.FieldVocabulary;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.train.RunSpec;
import org.walrusjava.train.Trainer;
import org.walrusjava.train.TrainingOptions;
import org.walrusjava.train.TrainingSession;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The demo's own small Walrus: its experiment config, in the layout of the released {@code extended_config.yaml}
 * (so that {@code walrus train}, {@code walrus rollout} and {@link org.walrusjava.api.Walrus#load} read it like any
 * other), and its training from scratch on the simulated datasets with {@link TrainingSession}.
 */
final class DemoModel {
    static final String CONFIG = "config.yaml";
    static final String WEIGHTS = "walrus.pt";
    private static final int EPOCHS = 10;

    /** What training left behind: the weights and the config they go with. */
    record Trained(Path checkpoint, Path config, long steps, double lastLoss) {}

    private DemoModel() {}

    /** Trains a fresh model on the train splits of {@code datasets}; everything goes into {@code dir}. */
    static Trained train(DemoSettings settings, List<Path> datasets, Path dir, PrintStream progress) {
        Path config = dir.resolve(CONFIG);
        AtomicFiles.writeString(config, yaml(config(settings)));
        TrainingOptions options = TrainingOptions.fromConfig(ExperimentConfig.load(config));
        RunSpec spec = new RunSpec(config, List.of(), datasets, null, false, settings.device().toString(), options);
        Path run = dir.resolve("training");
        try (TrainingSession session = TrainingSession.start(spec, run, progress)) {
            Trainer trainer = session.trainer();
            Trainer.Result result = trainer.train(options.steps());
            Path weights = trainer.export(dir.resolve(WEIGHTS));
            return new Trained(weights, config, result.step(), result.lastLoss());
        }
    }

    /** The experiment config of the demo model, as a YAML tree. */
    static Map<String, Object> config(DemoSettings settings) {
        DemoSettings.Model m = settings.model();
        DemoSettings.Training t = settings.training();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "walrus-demo");

        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("prediction_type", "delta");
        trainer.put("grad_acc_steps", 1);
        trainer.put("clip_gradient", 10);
        trainer.put("loss_multiplier", 100.0);
        trainer.put("enable_amp", false);
        trainer.put("minimum_context", 1);
        // The released schedule counts epochs; ten epochs over the run give a warmup, a gentle inverse-sqrt
        // decay and a cooldown (counted per step, its 128-step offset would cut the rate tenfold within the run).
        trainer.put("lr_scheduler_per_step", false);
        trainer.put("max_epoch", EPOCHS);
        trainer.put("steps", t.steps());
        // cube rotations would tip 2-D data into other planes of the inflated grid: more to learn in little time
        trainer.put("augment", false);
        trainer.put("seed", settings.seed());
        trainer.put("save_every", t.steps());
        trainer.put("keep_checkpoints", 1);
        trainer.put("validate_every", 0);
        root.put("trainer", trainer);

        root.put("optimizer", map("_target_", "torch.optim.AdamW", "lr", t.learningRate(), "weight_decay", 1e-4,
                "eps", 1e-10));
        root.put("lr_scheduler", map("_target_", "walrus.optim.schedulers.InverseSqrtLinearWarmupSqrtCooldown",
                "warmup_epochs", 1, "cooldown_epochs", 1, "warmup_lr_factor", 0.1, "max_epochs", EPOCHS));

        List<Integer> kernel = List.of(m.kernel(), m.kernel());
        List<List<Integer>> kernels = List.of(kernel, kernel, kernel);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("_target_", "walrus.models.IsotropicModel");
        model.put("encoder", map("base_kernel_size3d", kernels));
        model.put("decoder", map("base_kernel_size3d", kernels));
        model.put("processor", map("space_mixing", map("num_heads", m.heads()), "time_mixing",
                map("num_heads", m.heads())));
        model.put("hidden_dim", m.hidden());
        model.put("intermediate_dim", m.intermediate());
        model.put("processor_blocks", m.blocks());
        model.put("drop_path", 0.0);
        model.put("groups", 16);
        model.put("causal_in_time", true);
        model.put("include_d", List.of(2, 3));
        model.put("jitter_patches", true);
        model.put("use_periodic_fixed_jitter", true);
        model.put("input_field_drop", 0.0);
        model.put("gradient_checkpointing_freq", 0);
        root.put("model", model);

        Map<String, Object> module = new LinkedHashMap<>();
        module.put("batch_size", t.batchSize());
        module.put("n_steps_input", t.inputFrames());
        module.put("n_steps_output", 1);
        module.put("min_dt_stride", 1);
        module.put("max_dt_stride", 1);
        module.put("max_samples", Math.max(1, t.steps() / EPOCHS));
        Map<String, Object> perDataset = new LinkedHashMap<>();
        for (DemoSettings.Dataset d : settings.datasets())
            if (d.samplingWeight() != 1) perDataset.put(d.system().name(), map("sampling_weight", d.samplingWeight()));
        if (!perDataset.isEmpty()) module.put("well_dataset_info", perDataset);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("field_index_map_override", new LinkedHashMap<>(FieldVocabulary.released().toIndexMap()));
        data.put("module_parameters", module);
        root.put("data", data);
        return root;
    }

    static String yaml(Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(tree);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }
}
