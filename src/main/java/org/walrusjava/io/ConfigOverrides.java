package org.walrusjava.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Hydra-style command-line overrides applied to a parsed config tree: {@code trainer.grad_acc_steps=2} replaces
 * an existing value (a typo is an error, not a silent new key), {@code +a.b=v} adds one. Values are YAML, so
 * {@code 1e-3}, {@code true}, {@code null} and {@code [8, 4]} mean what they do in the file; list elements are
 * addressed by index ({@code model.include_d.0=3}).
 */
final class ConfigOverrides {
    private ConfigOverrides() {}

    static void apply(Path file, Map<String, Object> root, List<String> overrides) {
        for (String override : overrides) apply(file, root, override);
    }

    private static void apply(Path file, Map<String, Object> root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new UserError("override '" + override + "' is not key=value");
        boolean add = override.startsWith("+");
        String key = override.substring(add ? 1 : 0, eq).trim();
        Object value = parseValue(override, override.substring(eq + 1));
        String[] parts = key.split("\\.");
        Object node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = get(node, parts[i]);
            if (next == null && add && node instanceof Map<?, ?>) {
                next = new LinkedHashMap<String, Object>();
                put(node, parts[i], next);
            }
            if (!(next instanceof Map<?, ?>) && !(next instanceof List<?>))
                throw new UserError(file + ": override " + key + ": " + String.join(".", List.of(parts).subList(0, i + 1))
                        + (next == null ? " does not exist" : " is not a mapping or list"));
            node = next;
        }
        String last = parts[parts.length - 1];
        boolean exists = node instanceof Map<?, ?> m ? m.containsKey(last) : get(node, last) != null;
        if (!exists && !add)
            throw new UserError(file + ": override " + key + ": no such key (write +" + key + "=... to add it)");
        put(node, last, value);
    }

    private static Object parseValue(String override, String text) {
        if (text.isEmpty()) return "";
        try {
            return ConfigYaml.load(text);
        } catch (YAMLException e) {
            throw new UserError("override '" + override + "': the value is not valid YAML");
        }
    }

    private static Object get(Object node, String part) {
        if (node instanceof Map<?, ?> m) return m.get(part);
        List<?> list = (List<?>) node;
        int i = index(part);
        return i >= 0 && i < list.size() ? list.get(i) : null;
    }

    @SuppressWarnings("unchecked")
    private static void put(Object node, String part, Object value) {
        if (node instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put(part, value);
            return;
        }
        List<Object> list = (List<Object>) node;
        int i = index(part);
        if (i < 0 || i >= list.size()) throw new UserError("override index " + part + " is outside a list of " + list.size());
        list.set(i, value);
    }

    private static int index(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A deep copy of maps and lists, so that YAML aliases (&id001 / *id001) do not share overridden values. */
    static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(deepCopy(o));
            return out;
        }
        return node;
    }
}
