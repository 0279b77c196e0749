package org.walrusjava.data;

import org.walrusjava.AtomicFiles;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.walrusjava.UserError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The per-field statistics of a dataset's `stats.yaml` (train split): mean, std, rms of the values and of the
 * one-step increments, per tensor component. Constant fields have no increment statistics.
 *
 * @param fields by field name as stored (no transform prefix), sorted
 */
public record FieldStatistics(Map<String, Entry> fields) {
    /** The six statistics in `stats.yaml` order of appearance (keys sort alphabetically there). */
    public static final List<String> KEYS = List.of("mean", "mean_delta", "rms", "rms_delta", "std", "std_delta");

    public FieldStatistics {
        fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /**
     * Statistics of one field, row-major over its {@code dims^rank} components; the delta arrays are null for
     * constant fields.
     */
    public record Entry(int rank, int dims, double[] mean, double[] std, double[] rms, double[] meanDelta,
                        double[] stdDelta, double[] rmsDelta) {
        public boolean hasDeltas() {
            return meanDelta != null;
        }

        double[] get(String key) {
            return switch (key) {
                case "mean" -> mean;
                case "std" -> std;
                case "rms" -> rms;
                case "mean_delta" -> meanDelta;
                case "std_delta" -> stdDelta;
                case "rms_delta" -> rmsDelta;
                default -> throw new IllegalArgumentException(key);
            };
        }
    }

    public Entry get(String field) {
        return fields.get(field);
    }

    /** Reads a `stats.yaml`: scalars are numbers, vectors lists [D], rank-2 tensors nested lists [D][D]. */
    public static FieldStatistics read(Path yaml) {
        Map<String, Object> tree;
        try (Reader r = Files.newBufferedReader(yaml)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            if (!(loaded instanceof Map<?, ?>)) throw new UserError(yaml + ": not a statistics mapping");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) loaded;
            tree = m;
        } catch (IOException e) {
            throw new UserError(yaml + ": cannot read (" + e.getMessage() + ")", e);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError(yaml + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        for (String key : List.of("mean", "std", "rms")) {
            if (!(tree.get(key) instanceof Map<?, ?>)) throw new UserError(yaml + ": no '" + key + "' section");
        }
        Map<String, Entry> fields = new TreeMap<>();
        for (Object name : ((Map<?, ?>) tree.get("mean")).keySet()) {
            String field = String.valueOf(name);
            double[][] values = new double[KEYS.size()][];
            int rank = -1;
            int dims = 1;
            for (int k = 0; k < KEYS.size(); k++) {
                Object section = tree.get(KEYS.get(k));
                Object v = section instanceof Map<?, ?> m ? m.get(field) : null;
                if (v == null) continue;
                List<Double> flat = new ArrayList<>();
                int r = flatten(v, flat);
                if (rank >= 0 && r != rank) throw new UserError(yaml + ": field '" + field + "' changes rank");
                rank = r;
                dims = r == 0 ? 1 : (int) Math.round(Math.pow(flat.size(), 1.0 / r));
                values[k] = flat.stream().mapToDouble(Double::doubleValue).toArray();
            }
            if (values[2] == null || values[4] == null) {
                throw new UserError(yaml + ": field '" + field + "' lacks std or rms");
            }
            fields.put(field, new Entry(rank, dims, values[0], values[4], values[2], values[1], values[5], values[3]));
        }
        return new FieldStatistics(fields);
    }

    /** Flattens nested lists row-major; returns the nesting depth (the tensor rank). */
    private static int flatten(Object v, List<Double> out) {
        if (v instanceof Number n) {
            out.add(n.doubleValue());
            return 0;
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            int depth = 0;
            for (Object item : list) depth = flatten(item, out);
            return depth + 1;
        }
        throw new IllegalArgumentException("not a number or list of numbers: " + v);
    }

    /** The `stats.yaml` text: statistics and fields in sorted order, 4 significant digits (as upstream prints). */
    public String toYaml() {
        StringBuilder out = new StringBuilder();
        for (String key : KEYS) {
            out.append(key).append(":\n");
            fields.forEach((name, e) -> {
                double[] v = e.get(key);
                if (v == null) return;
                out.append("  ").append(name).append(':');
                if (e.rank() == 0) {
                    out.append(' ').append(format(v[0])).append('\n');
                    return;
                }
                out.append('\n');
                int rowLength = e.rank() == 1 ? v.length : e.dims();
                for (int i = 0; i < v.length; i++) {
                    boolean rowStart = i % rowLength == 0;
                    if (e.rank() == 1) out.append("  - ");
                    else out.append(rowStart ? "  - - " : "    - ");
                    out.append(format(v[i])).append('\n');
                }
            });
        }
        return out.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4E", v);
    }

    /** The statistics in full precision, nested like `stats_exact.json`: key -> field -> number / list / lists. */
    public Map<String, Object> toExactMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            Map<String, Object> section = new LinkedHashMap<>();
            fields.forEach((name, e) -> {
                double[] v = e.get(key);
                if (v != null) section.put(name, nest(v, e.rank(), e.dims()));
            });
            out.put(key, section);
        }
        return out;
    }

    private static Object nest(double[] v, int rank, int dims) {
        if (rank == 0) return v[0];
        List<Object> out = new ArrayList<>();
        if (rank == 1) {
            for (double x : v) out.add(x);
            return out;
        }
        for (int i = 0; i < dims; i++) {
            List<Double> row = new ArrayList<>();
            for (int j = 0; j < dims; j++) row.add(v[i * dims + j]);
            out.add(row);
        }
        return out;
    }

    /** Writes {@link #toYaml()} through a temporary file and an atomic rename. */
    public void writeYaml(Path target) {
        AtomicFiles.writeString(target, toYaml());
    }
}
