package org.walrusjava.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.walrusjava.UserError;
import org.walrusjava.model.WalrusConfig;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An experiment config in the layout of the released `extended_config.yaml` (a Hydra `_target_` tree with
 * `model`, `data`, `trainer`, `optimizer`, `lr_scheduler`, ... sections), read as it is and typed: the model
 * architecture, the field vocabulary, the data, trainer, optimizer and schedule options. Everything else stays
 * reachable through {@link #raw()} and {@link #find}.
 *
 * @param vocabulary field names by embedding index (`data.field_index_map_override`; 67 in the release)
 * @param lrScheduler absent when the config has no `lr_scheduler` section (a constant learning rate)
 * @param raw the whole tree after overrides, maps in file order
 */
public record ExperimentConfig(
        Path source,
        Optional<String> name,
        WalrusConfig model,
        List<String> vocabulary,
        DataOptions data,
        TrainerOptions trainer,
        OptimizerOptions optimizer,
        Optional<SchedulerOptions> lrScheduler,
        Map<String, Object> raw) {

    /** Loads the file, applying Hydra-style overrides such as "trainer.grad_acc_steps=2" first. */
    public static ExperimentConfig load(Path file, String... overrides) {
        return load(file, List.of(overrides));
    }

    public static ExperimentConfig load(Path file, List<String> overrides) {
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) ConfigOverrides.deepCopy(parse(file));
        ConfigOverrides.apply(file, root, overrides);
        ConfigTree top = new ConfigTree(file, "", root);
        ConfigTree data = top.child("data");
        List<String> vocabulary = vocabulary(data.child("field_index_map_override"));
        TrainerOptions trainer = TrainerOptions.from(section(top, "trainer"));
        return new ExperimentConfig(
                file,
                top.optionalString("name"),
                model(top.child("model"), vocabulary.size()),
                vocabulary,
                DataOptions.from(data),
                trainer,
                OptimizerOptions.from(section(top, "optimizer")),
                top.optionalChild("lr_scheduler").map(t -> SchedulerOptions.from(t, trainer)),
                Collections.unmodifiableMap(root));
    }

    /** The embedding index of a field name, or -1 if the vocabulary lacks it. */
    public int fieldIndex(String field) {
        return vocabulary.indexOf(field);
    }

    /** The value at a dotted key ("model.encoder.groups", list elements by index), if present. */
    public Optional<Object> find(String dottedKey) {
        Object node = raw;
        for (String part : dottedKey.split("\\.")) {
            if (node instanceof Map<?, ?> m) node = m.get(part);
            else if (node instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size())
                node = l.get(Integer.parseInt(part));
            else return Optional.empty();
        }
        return Optional.ofNullable(node);
    }

    /** A boolean at a dotted key, if present; anything but true or false there is refused by name. */
    public Optional<Boolean> findBoolean(String dottedKey) {
        return find(dottedKey).map(v -> {
            if (v instanceof Boolean b) return b;
            throw new UserError(source + ": " + dottedKey + " should be true or false, not '" + v + "'");
        });
    }

    private static Object parse(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            Object root = ConfigYaml.load(in);
            if (!(root instanceof Map<?, ?>)) throw new UserError(file + ": not a YAML mapping of config sections");
            return root;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
            throw new UserError(file + ": not valid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new UserError(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e + ")", e);
        }
    }

    /** An optional section: absent means every option takes its default. */
    private static ConfigTree section(ConfigTree top, String key) {
        return top.optionalChild(key).orElseGet(() -> new ConfigTree(top.file, key, Map.of()));
    }

    /** Field names by index; every index from 0 to the largest must name exactly one field. */
    private static List<String> vocabulary(ConfigTree map) {
        String[] byIndex = new String[map.values.size()];
        for (String field : map.values.keySet()) {
            int i = map.requiredInt(field);
            if (i < 0 || i >= byIndex.length)
                throw new UserError(map.file + ": " + map.keyPath(field) + " = " + i + " is outside 0.."
                        + (byIndex.length - 1) + " (indices must number the fields without gaps)");
            if (byIndex[i] != null)
                throw new UserError(map.file + ": " + map.path + " gives index " + i + " to both " + byIndex[i]
                        + " and " + field);
            byIndex[i] = field;
        }
        return List.of(byIndex);
    }

    /** The `model` section; absent options take IsotropicModel's defaults, as Hydra's instantiate would. */
    private static WalrusConfig model(ConfigTree m, int nStates) {
        ConfigTree processor = m.child("processor");
        m.requireIfPresent("max_d", 3);
        for (String part : new String[] {"encoder", "decoder"})
            m.optionalChild(part).ifPresent(t -> t.requireIfPresent("learned_pad", true));
        processor.optionalChild("time_mixing").ifPresent(t -> t.requireIfPresent("bias_type", "rel"));
        int overrideDimensionality = m.intOr("override_dimensionality", 0);
        List<Integer> includeD = overrideDimensionality > 0 ? List.of(overrideDimensionality)
                : List.copyOf(m.intListOr("include_d", List.of(2, 3)));
        return new WalrusConfig(
                m.requiredInt("hidden_dim"),
                m.requiredInt("intermediate_dim"),
                m.requiredInt("processor_blocks"),
                processor.child("space_mixing").requiredInt("num_heads"),
                processor.child("time_mixing").requiredInt("num_heads"),
                nStates,
                m.intOr("groups", 12),
                m.booleanOr("causal_in_time", false),
                m.booleanOr("jitter_patches", true),
                m.booleanOr("use_periodic_fixed_jitter", false),
                includeD,
                baseKernel(m.child("encoder")),
                rate(m, "drop_path", 0.2),
                rate(m, "input_field_drop", 0.1),
                m.intOr("gradient_checkpointing_freq", 0));
    }

    /** A drop rate (drop_path, input_field_drop): a number of at least 0. */
    private static double rate(ConfigTree m, String key, double fallback) {
        double v = m.doubleOr(key, fallback);
        if (!(v >= 0)) throw m.wrongType(key, "a rate of at least 0", v);
        return v;
    }

    /** encoder.base_kernel_size3d: per spatial axis, (first conv kernel, second conv kernel). */
    private static int[][] baseKernel(ConfigTree encoder) {
        String key = "base_kernel_size3d";
        List<Object> rows = encoder.listOr(key, null);
        if (rows == null) throw encoder.missing(key);
        List<int[]> out = new ArrayList<>();
        for (Object row : rows) {
            if (!(row instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Integer a)
                    || !(pair.get(1) instanceof Integer b) || a < 1 || b < 1)
                throw encoder.wrongType(key, "three [first, second] pairs of positive kernel sizes", rows);
            out.add(new int[] {a, b});
        }
        if (out.size() != 3) throw encoder.wrongType(key, "three [first, second] pairs of positive kernel sizes", rows);
        return out.toArray(int[][]::new);
    }

    @Override
    public String toString() {
        return "ExperimentConfig[" + source + ", hidden " + model.hiddenDim() + ", " + model.processorBlocks()
                + " blocks, " + vocabulary.size() + " fields, kernels " + Arrays.deepToString(model.baseKernel()) + "]";
    }
}
