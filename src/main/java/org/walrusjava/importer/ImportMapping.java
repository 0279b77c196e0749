package org.walrusjava.importer;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.sim.AxisBoundary;
import org.walrusjava.sim.BoundaryType;
import org.walrusjava.sim.SplitFractions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The mapping file of {@code walrus import}: where the user's arrays are and how they become a Well dataset (see
 * the README section "Importing your own data" for the format with a full example).
 *
 * @param file       the mapping file, for messages
 * @param dataset    dataset_name of the result
 * @param source     the data file or folder, or one per trajectory (relative paths resolve against the mapping
 *                   file's folder)
 * @param stepFiles  each source entry is one trajectory stored as one file per time step (a pattern or a folder)
 * @param axes       default axis order of the source arrays: "traj", "time", spatial axis names, "channel"
 * @param grid       spatial axes in storage order (x, y, z)
 * @param time       time coordinates
 * @param boundaries per spatial axis, in grid order
 * @param fields     fields in the order they are stored
 * @param splits     fractions of trajectories per split
 * @param seed       seed of the trajectory shuffle before splitting
 */
public record ImportMapping(String file, String dataset, List<Path> source, boolean stepFiles, List<String> axes,
                            List<GridAxis> grid,
                            TimeAxis time, List<AxisBoundary> boundaries, List<FieldMapping> fields,
                            SplitFractions splits, long seed) {

    public static final String TRAJECTORY = "traj";
    public static final String TIME = "time";
    public static final String CHANNEL = "channel";
    private static final List<String> SPATIAL = List.of("x", "y", "z");

    /** A spatial axis: uniform {@code spacing} from {@code origin}, or coordinates read from a 1-D array. */
    public record GridAxis(String name, Double spacing, double origin, String coordinates) {
    }

    /** Time: a constant {@code dt} from {@code start}, or the times read from a 1-D array (checked uniform). */
    public record TimeAxis(Double dt, double start, String coordinates) {
    }

    /**
     * One stored field.
     *
     * @param name     its Well name (a vocabulary name unless {@code isNew})
     * @param order    tensor order when new, else null (taken from the vocabulary)
     * @param arrays   one array for every component, or a single array for all
     * @param channels index along the array's "channel" axis per component, or empty when it has none
     * @param axes     axis order of its arrays
     * @param scale    factor applied first (units)
     * @param log10    store log10 of the scaled value
     * @param constant not time-varying (its arrays have no time axis)
     */
    public record FieldMapping(String name, boolean isNew, Integer order, List<String> arrays, List<Integer> channels,
                               List<String> axes, double scale, boolean log10, boolean constant) {
    }

    public List<String> spatialNames() {
        return grid.stream().map(GridAxis::name).toList();
    }

    public static ImportMapping load(Path yaml) {
        Object tree;
        try (Reader r = Files.newBufferedReader(yaml)) {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new UserError(yaml + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new UserError(yaml + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        Path folder = yaml.toAbsolutePath().getParent();
        return parse(new YamlNode(yaml.toString(), "", tree), folder);
    }

    static ImportMapping parse(YamlNode root, Path folder) {
        root.onlyKeys("dataset", "source", "step_files", "axes", "grid", "time", "boundaries", "fields", "splits");
        String dataset = root.get("dataset").required().string();
        List<Path> source = root.get("source").required().strings().stream().map(folder::resolve).toList();
        boolean stepFiles = root.get("step_files").flag(false);
        List<GridAxis> grid = grid(root.get("grid").required());
        List<String> spatial = grid.stream().map(GridAxis::name).toList();
        List<String> axes = root.get("axes").present() ? axes(root.get("axes"), spatial) : null;
        YamlNode timeNode = root.get("time").required().onlyKeys("dt", "start", "coordinates");
        if (timeNode.get("dt").present() == timeNode.get("coordinates").present()) {
            throw timeNode.error("give either dt or coordinates (the name of a 1-D array of times)");
        }
        TimeAxis time = new TimeAxis(timeNode.get("dt").present() ? timeNode.get("dt").number() : null,
                timeNode.get("start").number(0), timeNode.get("coordinates").string(null));
        if (time.dt() != null && !(time.dt() > 0)) throw timeNode.get("dt").error("must be positive, got " + time.dt());
        List<AxisBoundary> boundaries = boundaries(root.get("boundaries").required(), spatial);
        List<FieldMapping> fields = new ArrayList<>();
        root.get("fields").required().entries().forEach((name, node) -> fields.add(field(name, node, axes, spatial)));
        if (fields.isEmpty()) throw root.get("fields").error("no fields");
        YamlNode splitNode = root.get("splits");
        SplitFractions splits = SplitFractions.defaults();
        long seed = 0;
        if (splitNode.present()) {
            splitNode.onlyKeys("train", "valid", "test", "seed");
            try {
                splits = new SplitFractions(splitNode.get("train").number(), splitNode.get("valid").number(),
                        splitNode.get("test").number());
            } catch (UserError e) {
                throw splitNode.error(e.getMessage().replace("--splits: ", ""));
            }
            seed = splitNode.get("seed").present() ? splitNode.get("seed").integer() : 0;
        }
        return new ImportMapping(root.file(), dataset, source, stepFiles, axes, grid, time, boundaries, fields, splits, seed);
    }

    private static List<GridAxis> grid(YamlNode node) {
        Map<String, YamlNode> entries = node.entries();
        List<String> names = List.copyOf(entries.keySet());
        if (names.isEmpty() || !names.equals(SPATIAL.subList(0, Math.min(names.size(), 3))) || names.size() > 3) {
            throw node.error("spatial axes must be x, x y, or x y z in that order (the vocabulary names components"
                    + " after them: velocity_x ...), got " + names);
        }
        List<GridAxis> grid = new ArrayList<>();
        entries.forEach((name, axis) -> {
            axis.onlyKeys("spacing", "origin", "coordinates");
            if (axis.get("spacing").present() == axis.get("coordinates").present()) {
                throw axis.error("give either spacing or coordinates (the name of a 1-D array)");
            }
            Double spacing = axis.get("spacing").present() ? axis.get("spacing").number() : null;
            if (spacing != null && !(spacing > 0)) throw axis.get("spacing").error("must be positive, got " + spacing);
            grid.add(new GridAxis(name, spacing, axis.get("origin").number(0), axis.get("coordinates").string(null)));
        });
        return grid;
    }

    private static List<String> axes(YamlNode node, List<String> spatial) {
        List<String> axes = node.strings();
        for (String a : axes) {
            if (!a.equals(TRAJECTORY) && !a.equals(TIME) && !a.equals(CHANNEL) && !spatial.contains(a)) {
                throw node.error("unknown axis '" + a + "'; axes are " + TRAJECTORY + ", " + TIME + ", " + CHANNEL
                        + " and the grid's " + spatial);
            }
        }
        if (axes.stream().distinct().count() != axes.size()) throw node.error("an axis appears twice in " + axes);
        for (String s : spatial) {
            if (!axes.contains(s)) throw node.error("spatial axis " + s + " is missing from " + axes);
        }
        return axes;
    }

    private static List<AxisBoundary> boundaries(YamlNode node, List<String> spatial) {
        Map<String, YamlNode> entries = node.entries();
        List<AxisBoundary> out = new ArrayList<>();
        for (String axis : spatial) {
            YamlNode b = entries.get(axis);
            if (b == null) throw node.error("no boundary condition for axis " + axis + " (WALL, OPEN or PERIODIC)");
            BoundaryType lower;
            BoundaryType upper;
            if (b.isMap()) {
                b.onlyKeys("lower", "upper");
                lower = boundaryType(b.get("lower"));
                upper = boundaryType(b.get("upper"));
            } else {
                lower = upper = boundaryType(b);
            }
            try {
                out.add(new AxisBoundary(lower, upper));
            } catch (IllegalArgumentException e) {
                throw b.error(e.getMessage());
            }
        }
        for (String axis : entries.keySet()) {
            if (!spatial.contains(axis)) throw node.error("axis " + axis + " is not in the grid " + spatial);
        }
        return out;
    }

    private static BoundaryType boundaryType(YamlNode node) {
        String text = node.required().string().toUpperCase(Locale.ROOT);
        try {
            return BoundaryType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw node.error("boundary condition must be WALL, OPEN or PERIODIC, got " + node.value());
        }
    }

    private static FieldMapping field(String name, YamlNode node, List<String> defaultAxes, List<String> spatial) {
        node.onlyKeys("array", "arrays", "channel", "channels", "axes", "new", "order", "scale", "log10", "constant");
        if (node.get("array").present() == node.get("arrays").present()) {
            throw node.error("give either array (one array, or one stacked array with channel/channels) or arrays"
                    + " (one per component, in x, y, z order)");
        }
        List<String> arrays = node.get("array").present() ? List.of(node.get("array").string())
                : node.get("arrays").strings();
        if (node.get("channel").present() && node.get("channels").present()) {
            throw node.error("give channel (one) or channels (one per component), not both");
        }
        YamlNode channelNode = node.get("channel").present() ? node.get("channel") : node.get("channels");
        List<Integer> channels = channelNode.present() ? channelNode.list().stream().map(YamlNode::integer).toList()
                : List.of();
        if (!channels.isEmpty() && arrays.size() != 1) throw node.error("channels select from one array; got arrays " + arrays);
        List<String> axes = node.get("axes").present() ? axes(node.get("axes"), spatial) : defaultAxes;
        if (axes == null) throw node.error("no axes: give axes here or at the top of the mapping file");
        if (channels.isEmpty() == axes.contains(CHANNEL)) {
            throw node.error(channels.isEmpty() ? "its arrays have a channel axis " + axes + "; say which with channel: or channels:"
                    : "channel/channels given but its axes " + axes + " have no channel axis");
        }
        boolean isNew = node.get("new").flag(false);
        Integer order = node.get("order").present() ? node.get("order").integer() : null;
        if (isNew && (order == null || order < 0 || order > 2)) {
            throw node.error("a new field needs order: 0 (scalar), 1 (vector) or 2 (tensor)");
        }
        if (!isNew && order != null) throw node.get("order").error("only new fields take order (vocabulary fields have theirs)");
        double scale = node.get("scale").number(1);
        boolean constant = node.get("constant").flag(false);
        if (constant == axes.contains(TIME)) {
            throw node.error(constant ? "a constant field's arrays have no time axis, got axes " + axes
                    : "its arrays have no time axis " + axes + "; mark it constant: true if it does not change");
        }
        return new FieldMapping(name, isNew, order, arrays, channels, axes, scale, node.get("log10").flag(false), constant);
    }
}
