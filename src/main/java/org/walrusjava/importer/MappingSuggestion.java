package org.walrusjava.importer;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.walrusjava.StagedFolder;
import org.walrusjava.UserError;

/**
 * {@code walrus import --suggest FILE}: what the arrays of a file are (shape, value range), which vocabulary field
 * each most likely is and why, which spatial axes look periodic (first and last slabs equal, as when a solver
 * stores the repeated end point), and a draft mapping file assembled from those guesses for the user to check.
 *
 * <p>1-D arrays are taken for coordinates ({@code x_coordinates}, {@code time_values} of a VTK series, or a
 * NetCDF file's coordinate variables {@code x}, {@code time}). Axes are named as the file names them (NetCDF) or
 * guessed, since a .npy file does not name its axes: a last axis of at most 9 entries is a channel axis;
 * of the rest, the last 1 to 3 are space, preceded by time and then trajectory.
 */
public record MappingSuggestion(Path file, List<ArrayReport> arrays, List<String> coordinates) {
    private static final int MAX_CHANNELS = 9;
    private static final List<String> SPACE = List.of("x", "y", "z");

    /** One array: its guessed axes, value range, best vocabulary matches and periodic-looking spatial axes. */
    public record ArrayReport(String name, long[] shape, List<String> axes, boolean axesNamed, double min, double max,
                              List<VocabularyMatch> matches, List<String> periodicAxes) {
        VocabularyMatch best() {
            return matches.getFirst();
        }

        boolean confident() {
            return best().distance() == 0;
        }
    }

    public static MappingSuggestion of(Path file) {
        try (StagedFolder scratch = StagedFolder.create(Path.of(System.getProperty("java.io.tmpdir"), "walrus-suggest"), true);
             Arena arena = Arena.ofShared();
             ArraySource source = Sources.open(file, scratch.path(), arena)) {
            List<ArrayReport> reports = new ArrayList<>();
            List<String> coordinates = new ArrayList<>();
            for (String name : source.names()) {
                SourceArray array = source.array(name);
                if (array.shape().length == 1) coordinates.add(name);
                else reports.add(report(name, array));
            }
            if (reports.isEmpty()) throw new UserError(file + ": no arrays of two or more axes to import");
            return new MappingSuggestion(file, reports, coordinates);
        }
    }

    static List<String> guessAxes(long[] shape) {
        boolean channel = shape.length >= 3 && shape[shape.length - 1] <= MAX_CHANNELS;
        int rest = shape.length - (channel ? 1 : 0);
        int space = rest <= 1 ? rest : rest <= 3 ? rest - 1 : Math.min(3, rest - 2);
        int time = rest > space ? 1 : 0;
        List<String> axes = new ArrayList<>();
        for (int i = 0; i < rest - space - time; i++) axes.add(i == rest - space - time - 1 ? ImportMapping.TRAJECTORY : "unknown" + i);
        if (time == 1) axes.add(ImportMapping.TIME);
        axes.addAll(SPACE.subList(0, space));
        if (channel) axes.add(ImportMapping.CHANNEL);
        return axes;
    }

    /** A file's own axis names in the mapping's terms (trajectory, time, channel); others are kept. */
    static List<String> namedAxes(List<String> names) {
        return names.stream().map(n -> switch (n.toLowerCase(Locale.ROOT)) {
            case "traj", "trajectory", "sample", "run", "member", "ensemble", "batch" -> ImportMapping.TRAJECTORY;
            case "time", "t", "step" -> ImportMapping.TIME;
            case "channel", "component", "comp", "c" -> ImportMapping.CHANNEL;
            default -> n;
        }).toList();
    }

    private static ArrayReport report(String name, SourceArray array) {
        long[] shape = array.shape();
        List<String> axes = array.dimensionNames() != null ? namedAxes(array.dimensionNames()) : guessAxes(shape);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        long[] index = new long[shape.length];
        for (long i = 0; i < count; i++) {
            double v = array.get(index);
            min = Math.min(min, v);
            max = Math.max(max, v);
            for (int a = shape.length - 1; a >= 0 && ++index[a] == shape[a]; a--) index[a] = 0;
        }
        List<String> periodic = new ArrayList<>();
        for (int a = 0; a < shape.length; a++) {
            if (SPACE.contains(axes.get(a)) && shape[a] > 2 && equalEndSlabs(array, a, Math.max(Math.abs(min), Math.abs(max)))) {
                periodic.add(axes.get(a));
            }
        }
        return new ArrayReport(name, shape, axes, array.dimensionNames() != null, min, max, VocabularyMatch.match(name, 3),
                periodic);
    }

    /** Whether the slab at index 0 of {@code axis} equals the slab at its last index (to float32 rounding). */
    static boolean equalEndSlabs(SourceArray array, int axis, double scale) {
        long[] shape = array.shape();
        long[] slab = shape.clone();
        slab[axis] = 1;
        long count = Arrays.stream(slab).reduce(1, Math::multiplyExact);
        long[] index = new long[shape.length];
        double tolerance = 1e-6 * Math.max(scale, Double.MIN_NORMAL);
        for (long i = 0; i < count; i++) {
            index[axis] = 0;
            double first = array.get(index);
            index[axis] = shape[axis] - 1;
            if (Math.abs(first - array.get(index)) > tolerance) return false;
            index[axis] = 0;
            for (int a = shape.length - 1; a >= 0 && ++index[a] == slab[a]; a--) index[a] = 0;
        }
        return true;
    }

    /** Spatial axes that look periodic in every array that has them. */
    public List<String> periodicAxes() {
        List<String> out = new ArrayList<>();
        for (String axis : SPACE) {
            List<ArrayReport> having = arrays.stream().filter(r -> r.axes().contains(axis)).toList();
            if (!having.isEmpty() && having.stream().allMatch(r -> r.periodicAxes().contains(axis))) out.add(axis);
        }
        return out;
    }

    /** The report and the draft mapping, as YAML with the findings in comments. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("# walrus import --suggest ").append(file.getFileName()).append('\n');
        for (ArrayReport r : arrays) {
            s.append(String.format(Locale.ROOT, "#   %s: shape %s, axes %s %s, values %.6g .. %.6g; closest: %s%n",
                    r.name(), Arrays.toString(r.shape()), r.axesNamed() ? "named" : "guessed", r.axes(), r.min(), r.max(),
                    String.join(", ", r.matches().stream().map(VocabularyMatch::describe).toList())));
        }
        List<String> periodic = periodicAxes();
        s.append("# axes that look periodic (first and last slabs equal): ")
                .append(periodic.isEmpty() ? "none" : String.join(", ", periodic)).append('\n');
        s.append("# a draft: check every line, set the grid spacing and dt, and the boundaries that are not periodic\n");
        ArrayReport first = arrays.getFirst();
        List<String> spatial = SPACE.stream().filter(first.axes()::contains).toList();
        s.append("dataset: ").append(stem(file)).append('\n');
        s.append("source: ").append(file.getFileName()).append('\n');
        List<String> topAxes = first.axes().stream().filter(a -> !a.equals(ImportMapping.CHANNEL)).toList();
        s.append("axes: [").append(String.join(", ", topAxes)).append("]\n");
        s.append("grid:\n");
        for (String axis : spatial) {
            String coordinate = coordinate(List.of(axis + "_coordinates", axis));
            s.append("  ").append(axis).append(coordinate != null ? ": {coordinates: " + coordinate + "}\n" : ": {spacing: 1.0}\n");
        }
        String time = coordinate(List.of("time_values", "time", "t"));
        s.append(time != null ? "time: {coordinates: " + time + "}\n" : "time: {dt: 1.0}\n");
        s.append("boundaries:\n");
        for (String axis : spatial) {
            s.append("  ").append(axis).append(": ").append(periodic.contains(axis) ? "PERIODIC" : "WALL  # or OPEN")
                    .append('\n');
        }
        s.append("fields:\n");
        fieldLines(spatial.size(), topAxes).forEach(line -> s.append("  ").append(line).append('\n'));
        s.append("splits: {train: 0.8, valid: 0.1, test: 0.1, seed: 0}\n");
        return s.toString();
    }

    /**
     * Confident matches grouped into fields (components gathered in x, y, z order); the rest as comments. A field
     * whose arrays' axes differ from the top-level {@code axes} gets its own.
     */
    private List<String> fieldLines(int dims, List<String> topAxes) {
        Map<String, Map<String, ArrayReport>> vectors = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (ArrayReport r : arrays) {
            if (!r.confident()) {
                lines.add("# " + r.name() + ": {array: " + r.name() + "}  # no vocabulary name fits; rename, or new: true with order:");
            } else if (r.best().component() != null) {
                vectors.computeIfAbsent(r.best().field(), k -> new TreeMap<>()).put(r.best().component(), r);
            } else if (r.axes().contains(ImportMapping.CHANNEL)) {
                int components = (int) Math.pow(dims, VocabularyMatch.fields().get(r.best().field()));
                lines.add(r.best().field() + ": {array: " + r.name() + ", axes: [" + String.join(", ", r.axes())
                        + "], channels: " + IntStream.range(0, components).boxed().toList() + "}");
            } else {
                lines.add(r.best().field() + ": {array: " + r.name() + ownAxes(r.axes(), topAxes) + "}");
            }
        }
        vectors.forEach((field, components) -> {
            List<String> names = components.values().stream().map(ArrayReport::name).toList();
            List<List<String>> axes = components.values().stream().map(ArrayReport::axes).distinct().toList();
            boolean complete = components.keySet().equals(new TreeSet<>(SPACE.subList(0, dims)));
            String problem = !complete ? "  # components " + components.keySet() + " of " + SPACE.subList(0, dims)
                    : axes.size() > 1 ? "  # its arrays' axes differ: " + axes : "";
            lines.add((problem.isEmpty() ? "" : "# ") + field + ": {arrays: [" + String.join(", ", names) + "]"
                    + ownAxes(axes.getFirst(), topAxes) + "}" + problem);
        });
        return lines;
    }

    private static String ownAxes(List<String> axes, List<String> topAxes) {
        return axes.equals(topAxes) ? "" : ", axes: [" + String.join(", ", axes) + "]";
    }

    /** The first of {@code candidates} that is a coordinate array of the file, or null. */
    private String coordinate(List<String> candidates) {
        return candidates.stream().filter(coordinates::contains).findFirst().orElse(null);
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
