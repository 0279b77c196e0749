package org.walrusjava.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.data.FieldVocabulary;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The released vocabulary explained for {@code walrus fields}: per name its embedding index, the field it belongs
 * to and its tensor order, what it is physically and which data sets of the released training mix store it
 * (field-catalog.yaml beside this class says where each fact comes from).
 */
public record FieldCatalog(List<Entry> entries) {

    /**
     * @param field     the Well field the name is a channel of ("velocity" for "velocity_x")
     * @param order     that field's tensor order
     * @param component the component suffix ("x", "xy"), or null for a scalar
     */
    public record Entry(int index, String name, String field, int order, String component, String meaning,
                        List<String> datasets) {
    }

    public static FieldCatalog released() {
        Map<String, Object> yaml = load();
        @SuppressWarnings("unchecked")
        Map<String, List<String>> datasets = (Map<String, List<String>>) yaml.get("datasets");
        @SuppressWarnings("unchecked")
        Map<String, String> meanings = (Map<String, String>) yaml.get("meanings");
        Map<String, Integer> fields = VocabularyMatch.fields();
        List<String> names = FieldVocabulary.released().names();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String base = name.contains("_") ? name.substring(0, name.lastIndexOf('_')) : name;
            String field = fields.getOrDefault(base, 0) > 0 && !fields.containsKey(name) ? base : name;
            int order = fields.getOrDefault(field, 0);
            String component = field.equals(name) ? null : name.substring(field.length() + 1);
            List<String> users = datasets.entrySet().stream().filter(e -> e.getValue().contains(field))
                    .map(Map.Entry::getKey).toList();
            entries.add(new Entry(i, name, field, order, component,
                    meanings.getOrDefault(field, "not stated in the released data sets' descriptions"), users));
        }
        return new FieldCatalog(entries);
    }

    private static Map<String, Object> load() {
        try (InputStream in = FieldCatalog.class.getResourceAsStream("field-catalog.yaml")) {
            if (in == null) throw new IllegalStateException("field-catalog.yaml is missing from the build");
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toTable() {
        StringBuilder s = new StringBuilder(String.format("%-5s %-22s %-20s %-5s %s%n", "index", "name", "field",
                "order", "meaning; data sets of the released training mix"));
        for (Entry e : entries) {
            s.append(String.format("%-5d %-22s %-20s %-5d %s; %s%n", e.index(), e.name(), e.field(), e.order(),
                    e.meaning(), e.datasets().isEmpty() ? "none" : String.join(", ", e.datasets())));
        }
        return s.toString();
    }

    public String toJson() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", e.index());
            row.put("name", e.name());
            row.put("field", e.field());
            row.put("tensor_order", e.order());
            row.put("component", e.component());
            row.put("meaning", e.meaning());
            row.put("datasets", e.datasets());
            rows.add(row);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
