package org.walrusjava.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The field names Walrus knows, by embedding index: the encoder's input columns and the decoder's output rows are
 * picked by these indices. The released model has 67 (spec §3): 3 boundary tokens then 64 physical fields. The
 * ordered list normally comes from the config's `data.field_index_map_override`; fine-tuning on new physics appends
 * names ({@link #extendedWith}), which grows the model's `n_states`.
 */
public final class FieldVocabulary {
    /** The released vocabulary in index order (`extended_config.yaml`, `data.field_index_map_override`). */
    private static final List<String> RELEASED = List.of(
            "closed_boundary", "open_boundary", "bias_correction", "pressure", "velocity_x", "velocity_y",
            "velocity_z", "zeros_like_density", "speed_of_sound", "concentration",
            "D_xx", "D_xy", "D_xz", "D_yx", "D_yy", "D_yz", "D_zx", "D_zy", "D_zz",
            "E_xx", "E_xy", "E_xz", "E_yx", "E_yy", "E_yz", "E_zx", "E_zy", "E_zz",
            "density", "energy", "velocity_r", "velocity_theta", "velocity_phi", "momentum_x", "momentum_y",
            "momentum_z", "pressure_re", "pressure_im", "mask", "magnetic_field_x", "magnetic_field_y",
            "magnetic_field_z", "A", "B", "height", "internal_energy", "temperature", "electron_fraction", "entropy",
            "magnetic_field_log_r", "magnetic_field_theta", "magnetic_field_phi", "velocity_log_r", "buoyancy",
            "tracer", "log10_density", "log10_temperature", "c_zz",
            "C_xx", "C_xy", "C_xz", "C_yx", "C_yy", "C_yz", "C_zx", "C_zy", "C_zz");

    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    private FieldVocabulary(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            if (index.putIfAbsent(names.get(i), i) != null) {
                throw new IllegalArgumentException("field '" + names.get(i) + "' appears twice in the vocabulary");
            }
        }
    }

    /** The 67 names of the released checkpoint. */
    public static FieldVocabulary released() {
        return new FieldVocabulary(RELEASED);
    }

    /** A vocabulary whose index i is {@code names.get(i)}. */
    public static FieldVocabulary of(List<String> names) {
        return new FieldVocabulary(names);
    }

    /** From a name -> index map such as `field_index_map_override`; indices must be exactly 0..n-1. */
    public static FieldVocabulary fromIndexMap(Map<String, ? extends Number> map) {
        String[] byIndex = new String[map.size()];
        for (Map.Entry<String, ? extends Number> e : map.entrySet()) {
            int i = e.getValue().intValue();
            if (i < 0 || i >= byIndex.length || byIndex[i] != null) {
                throw new IllegalArgumentException("field map indices must be 0.." + (byIndex.length - 1)
                        + " without gaps or repeats; '" + e.getKey() + "' has " + e.getValue());
            }
            byIndex[i] = e.getKey();
        }
        return new FieldVocabulary(List.of(byIndex));
    }

    /** From a parsed Walrus config (the whole YAML tree): `data.field_index_map_override`. */
    public static FieldVocabulary fromConfig(Map<String, Object> config) {
        Object map = ConfigTree.at(config, "data", "field_index_map_override");
        if (!(map instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException("the config has no data.field_index_map_override");
        }
        Map<String, Number> typed = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!(v instanceof Number n)) throw new IllegalArgumentException("field map entry " + k + ": " + v);
            typed.put(String.valueOf(k), n);
        });
        return fromIndexMap(typed);
    }

    /** Reads the vocabulary of a Walrus config file (`extended_config.yaml`). */
    public static FieldVocabulary fromConfigFile(Path yaml) {
        try {
            return fromConfig(ConfigTree.load(yaml));
        } catch (IllegalArgumentException e) {
            throw new UserError(yaml + ": " + e.getMessage());
        }
    }

    public int size() {
        return names.size();
    }

    /** Names in index order. */
    public List<String> names() {
        return names;
    }

    public boolean contains(String name) {
        return index.containsKey(name);
    }

    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) throw unknown(List.of(name), "");
        return i;
    }

    /**
     * Indices of channel names; names the vocabulary lacks are all reported in one {@link UserError} that lists
     * the vocabulary and says how to extend it.
     */
    public int[] indicesOf(List<String> channelNames, String datasetName) {
        List<String> missing = channelNames.stream().filter(n -> !index.containsKey(n)).distinct().toList();
        if (!missing.isEmpty()) throw unknown(missing, "dataset '" + datasetName + "': ");
        return channelNames.stream().mapToInt(index::get).toArray();
    }

    /** This vocabulary with the names it lacks appended in order (new embedding rows for fine-tuning). */
    public FieldVocabulary extendedWith(Collection<String> more) {
        List<String> all = new ArrayList<>(names);
        for (String n : more) if (!all.contains(n)) all.add(n);
        return new FieldVocabulary(all);
    }

    /** Name -> index, in index order. */
    public Map<String, Integer> toIndexMap() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) out.put(names.get(i), i);
        return out;
    }

    private UserError unknown(List<String> missing, String prefix) {
        return new UserError(prefix + "field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                + (missing.size() > 1 ? " are" : " is") + " not in the Walrus field vocabulary of " + size()
                + " names (" + String.join(", ", names) + "); to fine-tune on new fields, extend the vocabulary with"
                + " --extend-vocabulary or add them to data.field_index_map_override in the config");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldVocabulary v && v.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "FieldVocabulary(" + size() + " names)";
    }

    /** Navigation in a parsed YAML config. */
    static final class ConfigTree {
        private ConfigTree() {}

        static Map<String, Object> load(Path yaml) {
            try (Reader r = Files.newBufferedReader(yaml)) {
                Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
                if (!(tree instanceof Map<?, ?>)) throw new UserError(yaml + ": not a YAML mapping");
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) tree;
                return map;
            } catch (IOException e) {
                throw new UserError(yaml + ": cannot read (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                if (e instanceof UserError u) throw u;
                throw new UserError(yaml + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
            }
        }

        /** The value at a key path, or null where any key is missing. */
        static Object at(Map<String, Object> tree, String... keys) {
            Object node = tree;
            for (String k : keys) {
                if (!(node instanceof Map<?, ?> m)) return null;
                node = m.get(k);
            }
            return node;
        }
    }
}
