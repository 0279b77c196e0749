package org.walrusjava.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.walrusjava.UserError;

/**
 * One mapping of a parsed YAML config, with typed getters whose errors name the file and the full dotted key.
 * Optional getters treat an explicit YAML null like an absent key, as Hydra's instantiate does for defaults.
 */
final class ConfigTree {
    final Path file;
    /** Dotted path of this mapping from the root ("" for the root). */
    final String path;
    final Map<String, Object> values;

    ConfigTree(Path file, String path, Map<String, Object> values) {
        this.file = file;
        this.path = path;
        this.values = values;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigTree child(String key) {
        return optionalChild(key).orElseThrow(() -> missing(key));
    }

    Optional<ConfigTree> optionalChild(String key) {
        Object v = values.get(key);
        if (v == null) return Optional.empty();
        if (!(v instanceof Map<?, ?> m)) throw wrongType(key, "a mapping", v);
        return Optional.of(new ConfigTree(file, keyPath(key), stringKeyed(key, m)));
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    int requiredInt(String key) {
        return toInt(key, required(key));
    }

    int intOr(String key, int fallback) {
        return has(key) ? requiredInt(key) : fallback;
    }

    OptionalInt optionalInt(String key) {
        return has(key) ? OptionalInt.of(requiredInt(key)) : OptionalInt.empty();
    }

    double doubleOr(String key, double fallback) {
        return has(key) ? toDouble(key, values.get(key)) : fallback;
    }

    boolean booleanOr(String key, boolean fallback) {
        if (!has(key)) return fallback;
        if (values.get(key) instanceof Boolean b) return b;
        throw wrongType(key, "true or false", values.get(key));
    }

    String requiredString(String key) {
        return toString(key, required(key));
    }

    Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(requiredString(key)) : Optional.empty();
    }

    List<Object> listOr(String key, List<Object> fallback) {
        if (!has(key)) return fallback;
        if (!(values.get(key) instanceof List<?> l)) throw wrongType(key, "a list", values.get(key));
        return new ArrayList<>(l);
    }

    List<String> stringListOr(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : listOr(key, List.of())) out.add(toString(key, o));
        return out;
    }

    List<Integer> intListOr(String key, List<Integer> fallback) {
        if (!has(key)) return fallback;
        List<Integer> out = new ArrayList<>();
        for (Object o : listOr(key, List.of())) out.add(toInt(key, o));
        return out;
    }

    /** A mapping of string values (field transforms and the like); empty if absent. */
    Map<String, String> stringMapOr(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        optionalChild(key).ifPresent(t -> t.values.forEach((k, v) -> out.put(k, t.toString(k, v))));
        return out;
    }

    private Object required(String key) {
        Object v = values.get(key);
        if (v == null) throw missing(key);
        return v;
    }

    private int toInt(String key, Object v) {
        if (v instanceof Integer i) return i;
        if (v instanceof Long l && l == (int) (long) l) return (int) (long) l;
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return (int) (double) d;
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw wrongType(key, "an integer", v);
    }

    private double toDouble(String key, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        // YAML 1.1 reads exponents without a dot ("1e-10") as strings; Hydra's users write them anyway.
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw wrongType(key, "a number", v);
    }

    private String toString(String key, Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        throw wrongType(key, "a string", v);
    }

    private Map<String, Object> stringKeyed(String key, Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * Refuses a value other than the one walrus-java implements for an option it reads only to check: the options
     * the released model sets one way and that this implementation does not vary.
     */
    void requireIfPresent(String key, Object implemented) {
        if (has(key) && !values.get(key).equals(implemented))
            throw new UserError(file + ": " + keyPath(key) + " = " + values.get(key) + " is not implemented (only "
                    + implemented + ", as in the released model)");
    }

    UserError missing(String key) {
        return new UserError(file + ": missing required key " + keyPath(key));
    }

    UserError wrongType(String key, String expected, Object found) {
        String shown = found instanceof Map ? "a mapping" : found instanceof List ? "a list" : "'" + found + "'";
        return new UserError(file + ": " + keyPath(key) + " should be " + expected + ", not " + shown);
    }
}
