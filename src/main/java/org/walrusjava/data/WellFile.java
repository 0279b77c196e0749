package org.walrusjava.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.walrusjava.UserError;

/**
 * One HDF5 file in The Well's layout (the_well `docs/data_format.md`), read with jhdf.
 *
 * <p>Opening reads the metadata only: attributes, coordinates, time, scalars, boundary masks. Field values are read
 * on demand, one (trajectory, time step) hyperslab at a time, so a training window touches only the chunks it
 * needs. Every problem with the file becomes a one-line {@link UserError} naming it.
 *
 * <p>Arrays handed out are channels-last and row-major: a frame is (grid..., components) for one field, or
 * (grid..., channels) for all variable or constant fields, where the grid is {@link #spatialResolution()} in
 * `spatial_dims` order and channels follow {@link #variableChannels()} / {@link #constantChannels()}.
 */
public final class WellFile implements AutoCloseable {
    private static final String[] FIELD_GROUPS = {"t0_fields", "t1_fields", "t2_fields"};

    private final Path path;
    private final HdfFile hdf;
    private final String datasetName;
    private final String gridType;
    private final int nTrajectories;
    private final int nSteps;
    private final List<String> spatialDims;
    private final int[] resolution;
    private final boolean timeSampleVarying;
    private final float[] time;
    private final Map<String, float[]> coordinates = new LinkedHashMap<>();
    private final Map<String, Object> simulationParameters = new LinkedHashMap<>();
    private final List<ScalarInfo> scalars = new ArrayList<>();
    private final List<FieldInfo> fields = new ArrayList<>();
    private final List<BoundaryGroup> boundaryGroups = new ArrayList<>();
    private final int[][] boundaryConditions;

    private WellFile(Path path, HdfFile hdf) {
        this.path = path;
        this.hdf = hdf;
        datasetName = HdfValues.string(attr(hdf, "dataset_name"));
        gridType = HdfValues.string(attr(hdf, "grid_type"));
        int nDims = (int) integer(hdf, "n_spatial_dims");
        nTrajectories = (int) integer(hdf, "n_trajectories");
        for (String name : HdfValues.strings(attr(hdf, "simulation_parameters"))) {
            simulationParameters.put(name, parameterValue(attr(hdf, name)));
        }

        Group dimensions = group("dimensions");
        spatialDims = List.copyOf(HdfValues.strings(attr(dimensions, "spatial_dims")));
        if (spatialDims.size() != nDims) {
            throw fail("n_spatial_dims is " + nDims + " but dimensions@spatial_dims lists " + spatialDims);
        }
        Dataset timeSet = dataset(dimensions, "time");
        timeSampleVarying = flag(timeSet, "sample_varying", false);
        int[] timeShape = timeSet.getDimensions();
        if (timeShape.length != (timeSampleVarying ? 2 : 1)) {
            throw fail("dimensions/time has shape " + Arrays.toString(timeShape) + ", expected "
                    + (timeSampleVarying ? "(n_trajectories, n_steps)" : "(n_steps)"));
        }
        nSteps = timeShape[timeShape.length - 1];
        time = floats(timeSet);
        resolution = new int[nDims];
        for (int a = 0; a < nDims; a++) {
            Dataset axis = dataset(dimensions, spatialDims.get(a));
            int[] shape = axis.getDimensions();
            resolution[a] = shape.length == 0 ? 1 : shape[shape.length - 1];
            coordinates.put(spatialDims.get(a), floats(axis));
        }

        readBoundaryGroups(group("boundary_conditions"));
        try {
            boundaryConditions = BoundaryConditionTable.reduce(boundaryGroups, spatialDims);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        readScalars(group("scalars"));
        for (int rank = 0; rank < FIELD_GROUPS.length; rank++) readFields(group(FIELD_GROUPS[rank]), rank);
    }

    /** Opens a Well file and reads its metadata; a missing, truncated or malformed file is a {@link UserError}. */
    public static WellFile open(Path path) {
        if (!Files.isRegularFile(path)) throw new UserError(path + ": no such file");
        HdfFile hdf;
        try {
            hdf = new HdfFile(path);
        } catch (RuntimeException e) {
            throw new UserError(path + ": not a readable HDF5 file (" + firstLine(e) + ")", e);
        }
        try {
            return new WellFile(path, hdf);
        } catch (UserError e) {
            hdf.close();
            throw e;
        } catch (RuntimeException e) {
            hdf.close();
            throw new UserError(path + ": cannot read the file's structure, is it truncated or corrupt? ("
                    + firstLine(e) + ")", e);
        }
    }

    // ---- metadata ----

    public Path path() {
        return path;
    }

    public String datasetName() {
        return datasetName;
    }

    public String gridType() {
        return gridType;
    }

    public int nSpatialDims() {
        return spatialDims.size();
    }

    public int nTrajectories() {
        return nTrajectories;
    }

    /** Time steps per trajectory: the last axis of `dimensions/time`. */
    public int nSteps() {
        return nSteps;
    }

    public List<String> spatialDims() {
        return spatialDims;
    }

    /** Grid size per axis in `spatial_dims` order. */
    public int[] spatialResolution() {
        return resolution.clone();
    }

    public boolean timeSampleVarying() {
        return timeSampleVarying;
    }

    /** The time coordinates of one trajectory (the same for all unless `dimensions/time` is sample-varying). */
    public float[] time(int trajectory) {
        checkTrajectory(trajectory);
        return timeSampleVarying ? Arrays.copyOfRange(time, trajectory * nSteps, (trajectory + 1) * nSteps)
                : time.clone();
    }

    /** Grid coordinates of one axis as stored (trajectory-major if sample-varying). */
    public float[] coordinates(String axis) {
        float[] c = coordinates.get(axis);
        if (c == null) throw new IllegalArgumentException(path + ": no spatial axis '" + axis + "'");
        return c.clone();
    }

    /**
     * Root attributes named by `simulation_parameters`, in that order: Double for numbers, String, Boolean or
     * double[].
     */
    public Map<String, Object> simulationParameters() {
        return Collections.unmodifiableMap(simulationParameters);
    }

    public List<ScalarInfo> scalars() {
        return List.copyOf(scalars);
    }

    /** All fields in loader order: rank 0, then 1, then 2, each in `field_names` order. */
    public List<FieldInfo> fields() {
        return List.copyOf(fields);
    }

    public FieldInfo field(String name) {
        for (FieldInfo f : fields) if (f.name().equals(name)) return f;
        throw new IllegalArgumentException(path + ": no field '" + name + "'");
    }

    /** Time-varying fields in loader order: what the model predicts. */
    public List<FieldInfo> variableFields() {
        return fields.stream().filter(f -> !f.isConstant()).toList();
    }

    /** Time-invariant fields in loader order. */
    public List<FieldInfo> constantFields() {
        return fields.stream().filter(FieldInfo::isConstant).toList();
    }

    public List<String> variableChannels() {
        return variableFields().stream().flatMap(f -> f.channels().stream()).toList();
    }

    public List<String> constantChannels() {
        return constantFields().stream().flatMap(f -> f.channels().stream()).toList();
    }

    public List<BoundaryGroup> boundaryGroups() {
        return List.copyOf(boundaryGroups);
    }

    /** Per spatial axis the (lower, upper) codes WALL=0 / OPEN=1 / PERIODIC=2 (see {@link BoundaryConditionTable}). */
    public int[][] boundaryConditions() {
        int[][] copy = new int[boundaryConditions.length][];
        for (int a = 0; a < copy.length; a++) copy[a] = boundaryConditions[a].clone();
        return copy;
    }

    /** Number of grid points of one frame. */
    public int gridSize() {
        int n = 1;
        for (int r : resolution) n *= r;
        return n;
    }

    // ---- data ----

    /** All values of a scalar dataset, row-major over its stored shape. */
    public synchronized double[] scalarValues(String name) {
        ScalarInfo info = scalars.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + ": no scalar '" + name + "'"));
        return read("scalars/" + info.name(), () -> HdfValues.doubles(hdf.getDatasetByPath("scalars/" + name).getData()));
    }

    /**
     * Frames {@code tStart, tStart + stride, ...} ({@code count} of them) of a time-varying field for one
     * trajectory, tiled to the full grid: layout (count, grid..., components).
     */
    public synchronized float[] readFrames(FieldInfo field, int trajectory, int tStart, int count, int stride) {
        if (field.isConstant()) throw new IllegalArgumentException(field.name() + " is not time-varying");
        checkTrajectory(trajectory);
        int last = tStart + stride * (count - 1);
        if (tStart < 0 || count < 1 || stride < 1 || last >= nSteps) {
            throw new IllegalArgumentException(path + ": steps " + tStart + ".." + last + " (stride " + stride
                    + ") outside 0.." + (nSteps - 1));
        }
        int frame = gridSize() * field.nChannels();
        float[] out = new float[count * frame];
        for (int i = 0; i < count; i++) readFrame(field, trajectory, tStart + i * stride, out, i * frame);
        return out;
    }

    /** A constant field for one trajectory (ignored unless the field is sample-varying): layout (grid..., comps). */
    public synchronized float[] readConstant(FieldInfo field, int trajectory) {
        if (!field.isConstant()) throw new IllegalArgumentException(field.name() + " is time-varying");
        checkTrajectory(trajectory);
        float[] out = new float[gridSize() * field.nChannels()];
        readFrame(field, trajectory, -1, out, 0);
        return out;
    }

    /** All variable channels of a window: layout (count, grid..., C_var) in {@link #variableChannels()} order. */
    public float[] readVariableWindow(int trajectory, int tStart, int count, int stride) {
        List<FieldInfo> vars = variableFields();
        int channels = vars.stream().mapToInt(FieldInfo::nChannels).sum();
        float[] out = new float[count * gridSize() * channels];
        int offset = 0;
        for (FieldInfo f : vars) {
            interleave(readFrames(f, trajectory, tStart, count, stride), f.nChannels(), out, offset, channels);
            offset += f.nChannels();
        }
        return out;
    }

    /** All constant channels: layout (grid..., C_con) in {@link #constantChannels()} order. */
    public float[] readConstants(int trajectory) {
        List<FieldInfo> consts = constantFields();
        int channels = consts.stream().mapToInt(FieldInfo::nChannels).sum();
        float[] out = new float[gridSize() * channels];
        int offset = 0;
        for (FieldInfo f : consts) {
            interleave(readConstant(f, trajectory), f.nChannels(), out, offset, channels);
            offset += f.nChannels();
        }
        return out;
    }

    /** Copies (points, width) into columns [offset, offset + width) of (points, channels). */
    private static void interleave(float[] src, int width, float[] dst, int offset, int channels) {
        int points = src.length / width;
        for (int p = 0; p < points; p++) System.arraycopy(src, p * width, dst, p * channels + offset, width);
    }

    @Override
    public void close() {
        hdf.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }

    // ---- reading one frame ----

    /** Reads one (trajectory, step) hyperslab of a field and tiles the axes it does not vary along. */
    private void readFrame(FieldInfo field, int trajectory, int step, float[] out, int outOffset) {
        int lead = (field.sampleVarying() ? 1 : 0) + (field.timeVarying() ? 1 : 0);
        long[] offset = new long[field.shape().length];
        int[] count = field.shape().clone();
        int k = 0;
        if (field.sampleVarying()) {
            offset[k] = trajectory;
            count[k++] = 1;
        }
        if (field.timeVarying()) {
            offset[k] = step;
            count[k] = 1;
        }
        int storedValues = 1;
        for (int a = lead; a < count.length; a++) storedValues *= count[a];
        float[] stored = new float[storedValues];
        read(field.path(), () -> {
            Dataset data = hdf.getDatasetByPath(field.path());
            if (data instanceof ChunkedDataset chunked && data.getDataType() instanceof FloatingPoint type
                    && chunksHoldWholeFrames(chunked.getChunkDimensions(), count, lead)) {
                return copyFromChunk(chunked, type, offset, lead, stored);
            }
            return HdfValues.flattenInto(data.getData(offset, count), stored, 0);
        });
        tile(stored, field, out, outOffset);
    }

    /** Whether each chunk spans the full extent of every non-leading axis, so a frame lies inside one chunk. */
    private static boolean chunksHoldWholeFrames(int[] chunk, int[] frameCount, int lead) {
        for (int a = lead; a < chunk.length; a++) if (chunk[a] != frameCount[a]) return false;
        return true;
    }

    /**
     * The fast path for The Well's layout (one chunk per trajectory and step, or per several steps): decompress
     * the chunk that holds the frame and copy the frame out as a block. jhdf's general hyperslab read builds
     * nested Java arrays (innermost rows of 2 or 3 tensor components) and is several times slower.
     */
    private static int copyFromChunk(ChunkedDataset data, FloatingPoint type, long[] offset, int lead, float[] stored) {
        int[] chunk = data.getChunkDimensions();
        int[] chunkOffset = new int[chunk.length];
        int frameInChunk = 0;
        for (int a = 0; a < lead; a++) {
            chunkOffset[a] = (int) (offset[a] / chunk[a]) * chunk[a];
            frameInChunk = frameInChunk * chunk[a] + (int) (offset[a] - chunkOffset[a]);
        }
        ByteBuffer bytes = ByteBuffer.wrap(data.getDecompressedChunk(chunkOffset)).order(type.getByteOrder());
        int first = frameInChunk * stored.length;
        if (type.getSize() == Float.BYTES) {
            bytes.asFloatBuffer().get(first, stored);
        } else {
            DoubleBuffer doubles = bytes.asDoubleBuffer();
            for (int i = 0; i < stored.length; i++) stored[i] = (float) doubles.get(first + i);
        }
        return stored.length;
    }

    /**
     * Expands a frame stored without the axes where {@code dimVarying} is false (left out or size 1: the flat
     * layout is the same) to the full grid, repeating values along those axes.
     */
    private void tile(float[] stored, FieldInfo field, float[] out, int outOffset) {
        int comps = field.nChannels();
        boolean complete = true;
        for (boolean v : field.dimVarying()) complete &= v;
        if (complete) {
            System.arraycopy(stored, 0, out, outOffset, stored.length);
            return;
        }
        int nDims = resolution.length;
        int[] srcStride = new int[nDims];
        int stride = comps;
        for (int a = nDims - 1; a >= 0; a--) {
            srcStride[a] = field.dimVarying()[a] ? stride : 0;
            if (field.dimVarying()[a]) stride *= resolution[a];
        }
        int[] index = new int[nDims];
        int points = gridSize();
        for (int p = 0; p < points; p++) {
            int src = 0;
            for (int a = 0; a < nDims; a++) src += index[a] * srcStride[a];
            System.arraycopy(stored, src, out, outOffset + p * comps, comps);
            for (int a = nDims - 1; a >= 0 && ++index[a] == resolution[a]; a--) index[a] = 0;
        }
    }

    // ---- metadata reading ----

    private void readBoundaryGroups(Group bcs) {
        for (Node node : bcs.getChildren().values()) {
            if (!(node instanceof Group g)) continue;
            Dataset mask = dataset(g, "mask");
            Node values = g.getChild("values");
            boundaryGroups.add(new BoundaryGroup(
                    g.getName(),
                    HdfValues.string(attr(g, "bc_type")),
                    List.copyOf(HdfValues.strings(attr(g, "associated_dims"))),
                    List.copyOf(HdfValues.strings(optionalAttr(g, "associated_fields"))),
                    flag(g, "sample_varying", false),
                    flag(g, "time_varying", false),
                    read(mask.getPath(), () -> HdfValues.bools(mask.getData())),
                    mask.getDimensions(),
                    values instanceof Dataset v ? v.getDimensions() : null));
        }
    }

    private void readScalars(Group group) {
        for (String name : HdfValues.strings(optionalAttr(group, "field_names"))) {
            Dataset d = dataset(group, name);
            scalars.add(new ScalarInfo(name, d.getDimensions(), dtype(d),
                    flag(d, "sample_varying", null), flag(d, "time_varying", null)));
        }
    }

    private void readFields(Group group, int rank) {
        for (String name : HdfValues.strings(optionalAttr(group, "field_names"))) {
            Node node = group.getChild(name);
            if (!(node instanceof Dataset d)) {
                throw fail(group.getName() + "@field_names lists '" + name + "' but the group has no such dataset");
            }
            String dtype = dtype(d);
            if (!dtype.startsWith("float")) throw fail(d.getPath() + " has dtype " + dtype + ", expected float32");
            boolean sampleVarying = flag(d, "sample_varying", null);
            boolean timeVarying = flag(d, "time_varying", null);
            boolean[] dimVarying = read(d.getPath() + "@dim_varying", () -> HdfValues.bools(attr(d, "dim_varying")));
            if (dimVarying.length != spatialDims.size()) {
                throw fail(d.getPath() + "@dim_varying has " + dimVarying.length + " entries for "
                        + spatialDims.size() + " spatial axes");
            }
            checkFieldShape(d, rank, sampleVarying, timeVarying, dimVarying);
            fields.add(new FieldInfo(name, rank, d.getDimensions(), dtype, sampleVarying, timeVarying, dimVarying,
                    rank == 2 && flag(d, "symmetric", false), rank == 2 && flag(d, "antisymmetric", false),
                    channelNames(name, rank), d instanceof ChunkedDataset c ? c.getChunkDimensions() : null,
                    compression(d)));
        }
    }

    /** velocity -> velocity_x, velocity_y; D -> D_xx, D_xy, ...: tensor indices row-major, named by spatial_dims. */
    private List<String> channelNames(String name, int rank) {
        List<String> names = List.of(name);
        for (int r = 0; r < rank; r++) {
            List<String> next = new ArrayList<>();
            for (String prefix : names) {
                for (String dim : spatialDims) next.add(r == 0 ? prefix + "_" + dim : prefix + dim);
            }
            names = next;
        }
        return names;
    }

    /** Leading [trajectory][time], then each spatial axis (size 1 or left out where not dim-varying), then tensor axes. */
    private void checkFieldShape(Dataset d, int rank, boolean sampleVarying, boolean timeVarying, boolean[] dimVarying) {
        int[] shape = d.getDimensions();
        List<Integer> full = new ArrayList<>();
        List<Integer> compact = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (sampleVarying) {
            full.add(nTrajectories);
            names.add("n_trajectories");
        }
        if (timeVarying) {
            full.add(nSteps);
            names.add("n_steps");
        }
        compact.addAll(full);
        for (int a = 0; a < resolution.length; a++) {
            full.add(dimVarying[a] ? resolution[a] : 1);
            if (dimVarying[a]) compact.add(resolution[a]);
            names.add(spatialDims.get(a));
        }
        for (int r = 0; r < rank; r++) {
            full.add(resolution.length);
            compact.add(resolution.length);
            names.add("components");
        }
        List<Integer> actual = Arrays.stream(shape).boxed().toList();
        if (!actual.equals(full) && !actual.equals(compact)) {
            throw fail(d.getPath() + " has shape " + actual + " but " + String.join(", ", names) + " give " + full);
        }
    }

    private static Object parameterValue(Object raw) {
        return switch (raw) {
            case Number n -> n.doubleValue();
            case String s -> s;
            case Boolean b -> b;
            default -> {
                if (raw != null && raw.getClass().isArray() && raw.getClass().getComponentType() == String.class) {
                    yield String.join(",", HdfValues.strings(raw));
                }
                yield HdfValues.doubles(raw);
            }
        };
    }

    private static String dtype(Dataset d) {
        DataType type = d.getDataType();
        return switch (type) {
            case FloatingPoint f -> "float" + 8 * f.getSize();
            case FixedPoint i -> (i.isSigned() ? "int" : "uint") + 8 * i.getSize();
            default -> type.getClass().getSimpleName().toLowerCase();
        };
    }

    private static String compression(Dataset d) {
        List<PipelineFilterWithData> filters = d.getFilters();
        for (PipelineFilterWithData f : filters) {
            if (f.getName().equalsIgnoreCase("deflate")) return "gzip";
        }
        return filters.isEmpty() ? null : filters.getFirst().getName();
    }

    private float[] floats(Dataset d) {
        int n = (int) d.getSize();
        float[] out = new float[n];
        read(d.getPath(), () -> HdfValues.flattenInto(d.getData(), out, 0));
        return out;
    }

    // ---- access with errors that name the file ----

    private Group group(String name) {
        if (!(hdf.getChild(name) instanceof Group g)) throw fail("missing required group '" + name + "/'");
        return g;
    }

    private Dataset dataset(Group parent, String name) {
        if (!(parent.getChild(name) instanceof Dataset d)) {
            throw fail("missing dataset '" + where(parent) + "/" + name + "'");
        }
        return d;
    }

    private Object attr(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) throw fail(where(node) + " lacks attribute '" + name + "'");
        return read(where(node) + "@" + name, a::getData);
    }

    private Object optionalAttr(Node node, String name) {
        Attribute a = node.getAttribute(name);
        return a == null ? null : read(where(node) + "@" + name, a::getData);
    }

    /** A boolean attribute; {@code fallback == null} makes it required. */
    private boolean flag(Node node, String name, Boolean fallback) {
        Attribute a = node.getAttribute(name);
        if (a == null) {
            if (fallback == null) throw fail(where(node) + " lacks attribute '" + name + "'");
            return fallback;
        }
        return read(where(node) + "@" + name, () -> HdfValues.bool(a.getData()));
    }

    private long integer(Node node, String name) {
        return read(where(node) + "@" + name, () -> HdfValues.integer(attr(node, name)));
    }

    private static String where(Node node) {
        String p = node.getPath().replaceAll("^/+|/+$", "");
        return p.isEmpty() ? "root" : p;
    }

    /** Runs a jhdf read; a failure (bad value, truncated data) becomes a one-line error naming file and object. */
    private <T> T read(String what, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail("cannot read " + what + " (" + firstLine(e) + ")");
        }
    }

    private void checkTrajectory(int trajectory) {
        if (trajectory < 0 || trajectory >= nTrajectories) {
            throw new UserError(path + ": trajectory " + trajectory + " out of range 0.." + (nTrajectories - 1));
        }
    }

    private UserError fail(String what) {
        return new UserError(path + ": " + what);
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
