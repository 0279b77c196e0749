package org.walrusjava.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;

/** A node of a parsed mapping file with typed access whose errors name the file and the key path. */
record YamlNode(String file, String path, Object value) {

    UserError error(String problem) {
        return new UserError(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    boolean isList() {
        return value instanceof List<?>;
    }

    /** The entries of a mapping, in file order. */
    Map<String, YamlNode> entries() {
        if (!(value instanceof Map<?, ?> map)) throw error("expected a mapping (key: value lines), got " + value);
        Map<String, YamlNode> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), new YamlNode(file, child(String.valueOf(k)), v)));
        return out;
    }

    /** The child at {@code key}, or a node holding null when absent. */
    YamlNode get(String key) {
        Map<String, YamlNode> entries = entries();
        return entries.getOrDefault(key, new YamlNode(file, child(key), null));
    }

    /** Refuses keys other than {@code known} (a misspelt key would otherwise be silently ignored). */
    YamlNode onlyKeys(String... known) {
        List<String> allowed = List.of(known);
        for (String key : entries().keySet()) {
            if (!allowed.contains(key)) throw error("unknown key '" + key + "' (known: " + String.join(", ", allowed) + ")");
        }
        return this;
    }

    boolean present() {
        return value != null;
    }

    YamlNode required() {
        if (value == null) throw error("missing");
        return this;
    }

    String string() {
        required();
        if (value instanceof Map<?, ?> || value instanceof List<?>) throw error("expected a single value, got " + value);
        return String.valueOf(value);
    }

    String string(String fallback) {
        return present() ? string() : fallback;
    }

    double number() {
        if (!(required().value instanceof Number n)) throw error("expected a number, got " + value);
        return n.doubleValue();
    }

    double number(double fallback) {
        return present() ? number() : fallback;
    }

    int integer() {
        if (!(required().value instanceof Integer || value instanceof Long)) throw error("expected an integer, got " + value);
        return Math.toIntExact(((Number) value).longValue());
    }

    boolean flag(boolean fallback) {
        if (!present()) return fallback;
        if (!(value instanceof Boolean b)) throw error("expected true or false, got " + value);
        return b;
    }

    /** A list; a single value counts as a list of one. */
    List<YamlNode> list() {
        required();
        List<?> items = value instanceof List<?> l ? l : List.of(value);
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) out.add(new YamlNode(file, path + "[" + i + "]", items.get(i)));
        return out;
    }

    List<String> strings() {
        return list().stream().map(YamlNode::string).toList();
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
