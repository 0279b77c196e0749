package org.walrusjava.importer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.walrusjava.UserError;

/**
 * One trajectory stored as a VTK ImageData file per time step: a {@code .pvd} collection (steps ordered by their
 * {@code timestep}, whose values become the array {@code time_values}), a glob pattern such as
 * {@code run/step_*.vti} or a folder of {@code .vti} files (ordered by the last number in the name). Each data array
 * becomes an array with axes {@code [time, x, y, z]} (the grid's singleton trailing axes dropped) and a last
 * {@code channel} axis when it has several components; {@code x_coordinates} ... are the grid points' coordinates.
 * Only the step being converted is held in memory.
 */
final class VtiSeries implements ArraySource {
    private static final List<String> COORDINATES = List.of("x_coordinates", "y_coordinates", "z_coordinates");
    private static final String TIMES = "time_values";

    private final String label;
    private final List<Path> steps;
    private final double[] times;
    private final VtiFile first;
    private final int dims;
    private VtiFile current;
    private int currentStep = -1;

    private VtiSeries(String label, List<Path> steps, double[] times) {
        this.label = label;
        this.steps = steps;
        this.times = times;
        first = VtiFile.read(steps.getFirst());
        int[] points = first.points();
        int d = 3;
        while (d > 1 && points[d - 1] == 1) d--;
        for (int a = 0; a < d; a++) {
            if (points[a] == 1) throw new UserError(steps.getFirst() + ": grid " + Arrays.toString(points)
                    + " has a single point along an inner axis; only trailing axes may be flat");
        }
        dims = d;
    }

    static boolean accepts(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".pvd") || name.endsWith(".vti") || (Files.isDirectory(path) && hasVti(path));
    }

    static VtiSeries open(Path path) {
        String name = path.getFileName().toString();
        if (name.endsWith(".pvd")) return collection(path);
        List<Path> files = Files.isDirectory(path) ? StepFiles.matching(path, "*.vti") : name.contains("*")
                ? StepFiles.matching(path.getParent(), name) : List.of(path);
        if (files.isEmpty()) throw new UserError(path + ": no .vti files match");
        return new VtiSeries(path.toString(), files, null);
    }

    private static boolean hasVti(Path dir) {
        return !StepFiles.matching(dir, "*.vti").isEmpty();
    }

    private static VtiSeries collection(Path pvd) {
        NodeList sets;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            sets = factory.newDocumentBuilder().parse(pvd.toFile()).getElementsByTagName("DataSet");
        } catch (Exception e) {
            throw new UserError(pvd + ": not a readable .pvd collection (" + e.getMessage() + ")", e);
        }
        record Step(double time, Path file) {
        }
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < sets.getLength(); i++) {
            Element e = (Element) sets.item(i);
            if (!e.getAttribute("part").isBlank() && !e.getAttribute("part").strip().equals("0")) {
                throw new UserError(pvd + ": data set " + e.getAttribute("file") + " is part " + e.getAttribute("part")
                        + "; walrus import reads one part per time step");
            }
            list.add(new Step(Double.parseDouble(e.getAttribute("timestep").strip()),
                    pvd.toAbsolutePath().getParent().resolve(e.getAttribute("file"))));
        }
        if (list.isEmpty()) throw new UserError(pvd + ": no DataSet entries");
        list.sort(Comparator.comparingDouble(Step::time));
        return new VtiSeries(pvd.toString(), list.stream().map(Step::file).toList(),
                list.stream().mapToDouble(Step::time).toArray());
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(first.arrays().keySet());
        names.addAll(COORDINATES.subList(0, dims));
        if (times != null) names.add(TIMES);
        return names;
    }

    @Override
    public SourceArray array(String name) {
        int axis = COORDINATES.indexOf(name);
        if (axis >= 0 && axis < dims) {
            double[] values = IntStream.range(0, first.points()[axis])
                    .mapToDouble(i -> first.origin()[axis] + i * first.spacing()[axis]).toArray();
            return vector(label + ":" + name, values);
        }
        if (name.equals(TIMES) && times != null) return vector(label + ":" + TIMES, times);
        VtiFile.VtiArray array = first.arrays().get(name);
        if (array == null) throw new UserError(label + ": no array '" + name + "' (arrays: " + String.join(", ", names()) + ")");
        int[] size = Arrays.copyOf(first.size(array.cellData()), dims);
        long[] shape = new long[1 + dims + (array.components() > 1 ? 1 : 0)];
        shape[0] = steps.size();
        for (int a = 0; a < dims; a++) shape[1 + a] = size[a];
        if (array.components() > 1) shape[shape.length - 1] = array.components();
        return new StepArray(name, shape, array.components(), size);
    }

    private static SourceArray vector(String label, double[] values) {
        return new SourceArray() {
            public String label() {
                return label;
            }

            public long[] shape() {
                return new long[] {values.length};
            }

            public double get(long[] index) {
                return values[Math.toIntExact(index[0])];
            }
        };
    }

    @Override
    public void close() {
        current = null;
    }

    /** The file of {@code step}, read when first needed; the previous step's file is let go. */
    private VtiFile step(int step) {
        if (step != currentStep) {
            VtiFile f = step == 0 ? first : VtiFile.read(steps.get(step));
            if (!Arrays.equals(f.points(), first.points())) {
                throw new UserError(f.path() + ": step " + step + " has grid " + Arrays.toString(f.points()) + ", step 0 ("
                        + first.path().getFileName() + ") has " + Arrays.toString(first.points()) + " (inconsistent shapes)");
            }
            current = f;
            currentStep = step;
        }
        return current;
    }

    /** A data array over all steps: index [step, x, (y, (z)), (component)]. */
    private final class StepArray implements SourceArray {
        private final String name;
        private final long[] shape;
        private final int components;
        private final int[] size;

        StepArray(String name, long[] shape, int components, int[] size) {
            this.name = name;
            this.shape = shape;
            this.components = components;
            this.size = size;
        }

        public String label() {
            return label + ":" + name;
        }

        public long[] shape() {
            return shape.clone();
        }

        public double get(long[] index) {
            int step = Math.toIntExact(index[0]);
            VtiFile f = step(step);
            VtiFile.VtiArray a = f.arrays().get(name);
            if (a == null || a.components() != components) {
                throw new UserError(f.path() + ": step " + step + (a == null ? " has no array " + name
                        : " has " + a.components() + " components in " + name + ", step 0 has " + components));
            }
            long point = 0;
            for (int d = dims - 1; d >= 0; d--) point = point * size[d] + index[1 + d];
            return a.values()[Math.toIntExact(point * components + (components > 1 ? index[shape.length - 1] : 0))];
        }
    }
}
