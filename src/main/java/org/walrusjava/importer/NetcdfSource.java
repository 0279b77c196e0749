package org.walrusjava.importer;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;

/**
 * NetCDF-4 files as xarray ({@code to_netcdf}) and the netCDF library write them: HDF5 underneath, read with jhdf.
 * Every variable of the root group is an array; its dimension names come from its {@code DIMENSION_LIST} (one
 * reference per axis to a dimension-scale dataset, named by that dataset's {@code NAME}, or by the dataset itself
 * for a dimension without a coordinate variable, whose NAME is netCDF's "This is a netCDF dimension but not a
 * netCDF variable" marker). Fill values and CF packing ({@code scale_factor}, {@code add_offset}) are applied as
 * netCDF readers do. Values are read one slab of the first axis at a time (a trajectory when the first
 * axis is the trajectory), so memory stays bounded by that slab.
 */
final class NetcdfSource implements ArraySource {
    private static final String NOT_A_VARIABLE = "This is a netCDF dimension but not a netCDF variable";

    private final Path path;
    private final HdfFile file;
    private final Map<String, Dataset> variables = new LinkedHashMap<>();
    private final Map<Long, String> dimensionNames = new HashMap<>();

    private NetcdfSource(Path path, HdfFile file) {
        this.path = path;
        this.file = file;
        // jhdf lists a group's members by name hash; their addresses follow the order the writer created them in
        List<Node> nodes = new ArrayList<>();
        file.forEach(nodes::add);
        nodes.sort(Comparator.comparingLong(Node::getAddress));
        for (Node node : nodes) {
            if (!(node instanceof Dataset d)) continue;
            String name = node.getName();
            if (isDimensionScale(d)) {
                String declared = stringAttribute(d, "NAME");
                dimensionNames.put(d.getAddress(), declared == null || declared.startsWith(NOT_A_VARIABLE) ? name : declared);
                if (declared != null && declared.startsWith(NOT_A_VARIABLE)) continue;
            }
            variables.put(name, d);
        }
    }

    static boolean accepts(Path path) {
        String n = path.getFileName().toString();
        return n.endsWith(".nc") || n.endsWith(".nc4") || n.endsWith(".netcdf") || n.endsWith(".cdf");
    }

    static NetcdfSource open(Path path) {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n == 4 && magic[0] == 'C' && magic[1] == 'D' && magic[2] == 'F') {
                throw new UserError(path + ": NetCDF classic (CDF-" + magic[3] + ") is not read by walrus import; convert it"
                        + " to NetCDF-4 first: nccopy -k nc4 " + path.getFileName() + " out.nc, or in Python"
                        + " xarray.open_dataset('" + path.getFileName() + "').to_netcdf('out.nc', format='NETCDF4')");
            }
        } catch (IOException e) {
            throw new UserError(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return new NetcdfSource(path, new HdfFile(path));
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError(path + ": not a readable NetCDF-4/HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isDimensionScale(Dataset d) {
        return "DIMENSION_SCALE".equals(stringAttribute(d, "CLASS"));
    }

    private static String stringAttribute(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) return null;
        Object v = a.getData();
        if (v instanceof String s) return s;
        if (v instanceof String[] s && s.length == 1) return s[0];
        return String.valueOf(v);
    }

    @Override
    public String label() {
        return path.toString();
    }

    @Override
    public List<String> names() {
        return List.copyOf(variables.keySet());
    }

    @Override
    public SourceArray array(String name) {
        Dataset d = variables.get(name);
        if (d == null) throw new UserError(path + ": no variable '" + name + "' (variables: " + String.join(", ", names()) + ")");
        Class<?> type = d.getJavaType();
        if (type != float.class && type != double.class) {
            throw new UserError(path + ":" + name + ": type " + type.getSimpleName() + " is not supported (float32 or float64)");
        }
        return new Variable(name, d, dimensions(name, d));
    }

    /** The dimension names of a variable from its DIMENSION_LIST, or null when it has none. */
    private List<String> dimensions(String name, Dataset d) {
        Attribute list = d.getAttribute("DIMENSION_LIST");
        if (list == null) return isDimensionScale(d) ? List.of(dimensionNames.get(d.getAddress())) : null;
        List<String> out = new ArrayList<>();
        for (Object axis : (Object[]) list.getData()) {
            Object reference = Array.getLength(axis) > 0 ? Array.get(axis, 0) : null;
            String dim = reference instanceof Number address ? dimensionNames.get(address.longValue()) : null;
            if (dim == null) throw new UserError(path + ":" + name + ": DIMENSION_LIST points at something that is not a dimension");
            out.add(dim);
        }
        return out;
    }

    @Override
    public void close() {
        file.close();
    }

    /** A variable read one slab of its first axis at a time. */
    private final class Variable implements SourceArray {
        private final String name;
        private final Dataset dataset;
        private final long[] shape;
        private final List<String> dims;
        private long slabIndex = -1;
        private double[] slab;

        Variable(String name, Dataset dataset, List<String> dims) {
            this.name = name;
            this.dataset = dataset;
            this.shape = dataset.getDimensionsAsLong();
            this.dims = dims;
        }

        public String label() {
            return path + ":" + name;
        }

        public long[] shape() {
            return shape.clone();
        }

        public List<String> dimensionNames() {
            return dims;
        }

        /**
         * The CF conventions netCDF readers apply: a value equal to {@code _FillValue} is missing (NaN here, so the
         * import refuses it with where it is, rather than taking -9999 for data), then
         * {@code value * scale_factor + add_offset}.
         */
        private void unpack(double[] values) {
            double fill = number("_FillValue", Double.NaN);
            double scale = number("scale_factor", 1);
            double offset = number("add_offset", 0);
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] == fill ? Double.NaN : values[i] * scale + offset;
            }
        }

        private double number(String attribute, double fallback) {
            Attribute a = dataset.getAttribute(attribute);
            if (a == null) return fallback;
            Object v = a.getData();
            if (v.getClass().isArray() && Array.getLength(v) == 1) v = Array.get(v, 0);
            if (!(v instanceof Number n)) throw new UserError(label() + ": attribute " + attribute + " is not a number: " + v);
            return n.doubleValue();
        }

        public double get(long[] index) {
            if (index[0] != slabIndex) {
                long[] offset = new long[shape.length];
                offset[0] = index[0];
                int[] size = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
                size[0] = 1;
                slab = flatten(dataset.getData(offset, size), Arrays.stream(size).reduce(1, Math::multiplyExact));
                unpack(slab);
                slabIndex = index[0];
            }
            long flat = 0;
            for (int a = 1; a < shape.length; a++) flat = flat * shape[a] + index[a];
            return slab[Math.toIntExact(flat)];
        }
    }

    /** A (possibly nested) float or double Java array, row-major into doubles. */
    private static double[] flatten(Object data, int count) {
        double[] out = new double[count];
        int[] at = {0};
        fill(data, out, at);
        return out;
    }

    private static void fill(Object data, double[] out, int[] at) {
        switch (data) {
            case float[] f -> {
                for (float v : f) out[at[0]++] = v;
            }
            case double[] d -> {
                System.arraycopy(d, 0, out, at[0], d.length);
                at[0] += d.length;
            }
            case Object[] nested -> {
                for (Object o : nested) fill(o, out, at);
            }
            default -> throw new IllegalStateException("unexpected HDF5 data " + data.getClass());
        }
    }
}
