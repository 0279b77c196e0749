package org.walrusjava.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything about a Well file except the field values: what {@link WellWriter} needs to lay the file out (spec:
 * the-well.md, "File layout"). Field values are streamed to the writer afterwards, one frame per (trajectory, time
 * step). Build with {@link #builder(String, String)}; {@link WellWriter#create} validates the whole spec.
 *
 * @param datasetName          root attribute {@code dataset_name}
 * @param gridType             root attribute {@code grid_type} ("cartesian", ...)
 * @param nTrajectories        root attribute {@code n_trajectories}
 * @param spatialDims          axes in storage order, with their coordinates
 * @param time                 {@code dimensions/time}
 * @param simulationParameters root attributes listed in {@code simulation_parameters}, in order; values are
 *                             Double, Long or String
 * @param scalars              {@code scalars/} datasets, in {@code field_names} order
 * @param boundaryGroups       {@code boundary_conditions/} groups
 * @param fields               {@code t0_fields}, {@code t1_fields}, {@code t2_fields} members (each group lists its
 *                             fields in the order they appear here)
 */
public record WellSpec(String datasetName, String gridType, int nTrajectories, List<SpatialDim> spatialDims,
                       Time time, Map<String, Object> simulationParameters, List<Scalar> scalars,
                       List<BoundaryGroup> boundaryGroups, List<Field> fields) {

    public WellSpec {
        spatialDims = List.copyOf(spatialDims);
        simulationParameters = Collections.unmodifiableMap(new LinkedHashMap<>(simulationParameters));
        scalars = List.copyOf(scalars);
        boundaryGroups = List.copyOf(boundaryGroups);
        fields = List.copyOf(fields);
    }

    public static Builder builder(String datasetName, String gridType) {
        return new Builder(datasetName, gridType);
    }

    public int nSpatialDims() {
        return spatialDims.size();
    }

    public int nSteps() {
        return time.nSteps(nTrajectories);
    }

    public List<String> spatialDimNames() {
        return spatialDims.stream().map(SpatialDim::name).toList();
    }

    /** Grid size along each axis, in {@code spatial_dims} order. */
    public int[] resolution() {
        return spatialDims.stream().mapToInt(d -> d.coordinates().length).toArray();
    }

    public List<Field> fieldsOfRank(int rank) {
        return fields.stream().filter(f -> f.rank() == rank).toList();
    }

    public Field field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no field '" + name + "' in " + datasetName
                        + " (fields: " + fields.stream().map(Field::name).toList() + ")"));
    }

    private static final List<String> RESERVED_ROOT_ATTRIBUTES =
            List.of("dataset_name", "grid_type", "n_spatial_dims", "n_trajectories", "simulation_parameters");
    private static final List<String> BC_TYPES = List.of("WALL", "OPEN", "PERIODIC");

    /** What makes this spec unwritable, one sentence each; empty when it is consistent. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (datasetName == null || datasetName.isBlank() || gridType == null || gridType.isBlank()) {
            problems.add("dataset_name and grid_type must be non-empty");
        }
        if (nTrajectories < 1) {
            problems.add("n_trajectories must be at least 1, got " + nTrajectories);
        }
        if (spatialDims.isEmpty() || spatialDims.size() > 3) {
            problems.add("1 to 3 spatial dims needed, got " + spatialDims.size());
        }
        requireUnique("spatial dim", spatialDimNames(), problems);
        for (SpatialDim dim : spatialDims) {
            if (dim.coordinates().length == 0) {
                problems.add("spatial dim " + dim.name() + " has no coordinates");
            }
            requireFinite("coordinates of " + dim.name(), dim.coordinates(), problems);
        }
        int steps = nSteps();
        if (steps < 1 || (time.sampleVarying() && time.values().length != nTrajectories * steps)) {
            problems.add("time must have T >= 1 values" + (time.sampleVarying() ? " for each of the "
                    + nTrajectories + " trajectories" : "") + ", got " + time.values().length);
        }
        requireFinite("time", time.values(), problems);
        for (String name : simulationParameters.keySet()) {
            if (RESERVED_ROOT_ATTRIBUTES.contains(name)) {
                problems.add("simulation parameter '" + name + "' clashes with a root attribute of the format");
            }
        }
        requireUnique("scalar", scalars.stream().map(Scalar::name).toList(), problems);
        for (Scalar scalar : scalars) {
            int expected = (scalar.sampleVarying() ? nTrajectories : 1) * (scalar.timeVarying() ? steps : 1);
            if (scalar.values().length != expected) {
                problems.add("scalar " + scalar.name() + " needs " + expected + " values, got "
                        + scalar.values().length);
            }
            requireFinite("scalar " + scalar.name(), scalar.values(), problems);
        }
        requireUnique("field", fields.stream().map(Field::name).toList(), problems);
        for (Field field : fields) {
            fieldProblems(field, problems);
        }
        requireUnique("boundary group", boundaryGroups.stream().map(BoundaryGroup::name).toList(), problems);
        for (BoundaryGroup group : boundaryGroups) {
            boundaryProblems(group, problems);
        }
        return problems;
    }

    private void fieldProblems(Field field, List<String> problems) {
        String what = "field " + field.name();
        if (field.rank() < 0 || field.rank() > 2) {
            problems.add(what + ": tensor rank must be 0, 1 or 2, got " + field.rank());
        }
        if (field.dimVarying() != null && field.dimVarying().length != nSpatialDims()) {
            problems.add(what + ": dim_varying has " + field.dimVarying().length + " entries for "
                    + nSpatialDims() + " spatial dims");
            return;
        }
        if ((field.symmetric() || field.antisymmetric()) && field.rank() != 2) {
            problems.add(what + ": only rank-2 fields can be symmetric or antisymmetric");
        }
        if (field.symmetric() && field.antisymmetric()) {
            problems.add(what + ": cannot be both symmetric and antisymmetric");
        }
        try {
            field.frameLength(this);
        } catch (ArithmeticException tooBig) {
            problems.add(what + ": one frame has more than 2^31 values");
        }
    }

    private void boundaryProblems(BoundaryGroup group, List<String> problems) {
        String what = "boundary group " + group.name();
        if (group.bcType() == null || !BC_TYPES.contains(group.bcType().toUpperCase(Locale.ROOT))) {
            problems.add(what + ": bc_type must be one of " + BC_TYPES + ", got " + group.bcType());
        }
        if (group.associatedDims().isEmpty()) {
            problems.add(what + ": associated_dims is empty");
        }
        requireUnique(what + " associated dim", group.associatedDims(), problems);
        long points = 1;
        for (String dim : group.associatedDims()) {
            int axis = spatialDimNames().indexOf(dim);
            if (axis < 0) {
                problems.add(what + ": associated dim '" + dim + "' is not a spatial dim " + spatialDimNames());
                return;
            }
            points *= spatialDims.get(axis).coordinates().length;
        }
        if (group.mask().length != points) {
            problems.add(what + ": mask has " + group.mask().length + " entries, its dims "
                    + group.associatedDims() + " have " + points + " points");
        }
        int marked = 0;
        for (boolean b : group.mask()) {
            marked += b ? 1 : 0;
        }
        if (group.values().length != marked) {
            problems.add(what + ": " + group.values().length + " values for " + marked + " True mask entries");
        }
        requireFinite(what + " values", group.values(), problems);
        for (String field : group.associatedFields()) {
            if (fields.stream().noneMatch(f -> f.name().equals(field))) {
                problems.add(what + ": associated field '" + field + "' is not a field of the file");
            }
        }
    }

    private static void requireUnique(String what, List<String> names, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank() || name.contains("/")) {
                problems.add(what + " name '" + name + "' must be non-empty and contain no '/'");
            } else if (!seen.add(name)) {
                problems.add(what + " name '" + name + "' appears twice");
            }
        }
    }

    private static void requireFinite(String what, float[] values, List<String> problems) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                problems.add(what + " has " + values[i] + " at index " + i);
                return;
            }
        }
    }

    /** One axis: its name ("x") and cell-centre coordinates, stored as {@code dimensions/<name>} (float32). */
    public record SpatialDim(String name, float[] coordinates) {
    }

    /**
     * {@code dimensions/time}: one time axis shared by all trajectories ({@code values.length == T}) or one per
     * trajectory ({@code sampleVarying}, {@code values.length == N*T}, trajectory-major).
     */
    public record Time(float[] values, boolean sampleVarying) {
        public static Time shared(float... values) {
            return new Time(values, false);
        }

        public static Time perTrajectory(float[][] values) {
            int steps = values.length == 0 ? 0 : values[0].length;
            float[] flat = new float[values.length * steps];
            for (int n = 0; n < values.length; n++) {
                if (values[n].length != steps) {
                    throw new IllegalArgumentException("time: trajectory " + n + " has " + values[n].length
                            + " steps, trajectory 0 has " + steps);
                }
                System.arraycopy(values[n], 0, flat, n * steps, steps);
            }
            return new Time(flat, true);
        }

        int nSteps(int nTrajectories) {
            return sampleVarying ? values.length / Math.max(1, nTrajectories) : values.length;
        }
    }

    /**
     * A scalar in {@code scalars/}: a 0-d dataset when constant, else indexed by [trajectory][step] over the flags
     * that are set ({@code values.length} = (N if sampleVarying) * (T if timeVarying)).
     */
    public record Scalar(String name, boolean sampleVarying, boolean timeVarying, float[] values) {
        public static Scalar constant(String name, float value) {
            return new Scalar(name, false, false, new float[] {value});
        }

        /** One value per time step, the same for every trajectory. */
        public static Scalar perStep(String name, float... values) {
            return new Scalar(name, false, true, values);
        }
    }

    /**
     * A group in {@code boundary_conditions/}: {@code mask} marks the boundary points over the axes in
     * {@code associatedDims} (row-major over those axes), {@code values} holds one float per True mask entry.
     * Masks that vary per trajectory or step are not supported (no Well dataset has them).
     */
    public record BoundaryGroup(String name, String bcType, List<String> associatedDims,
                                List<String> associatedFields, boolean[] mask, float[] values) {
        public BoundaryGroup {
            associatedDims = List.copyOf(associatedDims);
            associatedFields = List.copyOf(associatedFields);
        }

        /**
         * The usual group: type {@code bcType} ("PERIODIC", "WALL", "OPEN") on both faces of axis {@code dim} with
         * {@code size} points, values 0.
         */
        public static BoundaryGroup bothFaces(String name, String bcType, String dim, int size) {
            boolean[] mask = new boolean[size];
            mask[0] = true;
            mask[size - 1] = true;
            return new BoundaryGroup(name, bcType, List.of(dim), List.of(), mask, new float[2]);
        }

        public BoundaryGroup withValues(List<String> fields, float... values) {
            return new BoundaryGroup(name, bcType, associatedDims, fields, mask, values);
        }
    }

    /**
     * A field of tensor rank 0, 1 or 2. Stored shape: [N if sampleVarying][T if timeVarying][each axis where
     * dimVarying][D]*rank. {@code dimVarying == null} means every axis. Symmetry flags exist only for rank 2.
     */
    public record Field(String name, int rank, boolean sampleVarying, boolean timeVarying, boolean[] dimVarying,
                        boolean symmetric, boolean antisymmetric) {
        /** A field that changes per trajectory and time step over the whole grid (the common case). */
        public static Field of(String name, int rank) {
            return new Field(name, rank, true, true, null, false, false);
        }

        /** The same field stored once for the dataset (not per trajectory, not per step). */
        public Field constant() {
            return varying(false, false);
        }

        public Field varying(boolean sample, boolean time) {
            return new Field(name, rank, sample, time, dimVarying, symmetric, antisymmetric);
        }

        /** Which axes the field has (a False axis is stored without it; loaders tile it). */
        public Field dimVarying(boolean... dims) {
            return new Field(name, rank, sampleVarying, timeVarying, dims.clone(), symmetric, antisymmetric);
        }

        public Field symmetry(boolean symmetric, boolean antisymmetric) {
            return new Field(name, rank, sampleVarying, timeVarying, dimVarying, symmetric, antisymmetric);
        }

        /** dim_varying resolved for a file with {@code nDims} axes. */
        public boolean[] dimVarying(int nDims) {
            if (dimVarying != null) {
                return dimVarying.clone();
            }
            boolean[] all = new boolean[nDims];
            Arrays.fill(all, true);
            return all;
        }

        /** Shape of one frame: the axes the field has, then the tensor components. */
        public long[] frameShape(WellSpec spec) {
            int[] resolution = spec.resolution();
            boolean[] dims = dimVarying(resolution.length);
            List<Long> shape = new ArrayList<>();
            for (int d = 0; d < resolution.length; d++) {
                if (d < dims.length && dims[d]) {
                    shape.add((long) resolution[d]);
                }
            }
            for (int r = 0; r < rank; r++) {
                shape.add((long) resolution.length);
            }
            return shape.stream().mapToLong(Long::longValue).toArray();
        }

        /** Number of floats in one frame. */
        public int frameLength(WellSpec spec) {
            return Math.toIntExact(Arrays.stream(frameShape(spec)).reduce(1, Math::multiplyExact));
        }

        /**
         * Channel names in loader order: the name for rank 0, then one per component, row-major, suffixed with the
         * axis names ({@code velocity_x}, {@code D_xy}).
         */
        public List<String> channels(List<String> axes) {
            List<String> names = List.of(name);
            for (int r = 0; r < rank; r++) {
                names = names.stream().flatMap(prefix -> axes.stream()
                        .map(axis -> prefix + (prefix.equals(name) ? "_" : "") + axis)).toList();
            }
            return names;
        }

        /** Number of frames: one per trajectory if sample-varying times one per step if time-varying. */
        public int frameCount(WellSpec spec) {
            return (sampleVarying ? spec.nTrajectories() : 1) * (timeVarying ? spec.nSteps() : 1);
        }
    }

    /** Collects a spec in the order the file lists things. */
    public static final class Builder {
        private final String datasetName;
        private final String gridType;
        private int nTrajectories = 1;
        private final List<SpatialDim> spatialDims = new ArrayList<>();
        private Time time = Time.shared();
        private final Map<String, Object> simulationParameters = new LinkedHashMap<>();
        private final List<Scalar> scalars = new ArrayList<>();
        private final List<BoundaryGroup> boundaryGroups = new ArrayList<>();
        private final List<Field> fields = new ArrayList<>();

        private Builder(String datasetName, String gridType) {
            this.datasetName = datasetName;
            this.gridType = gridType;
        }

        public Builder trajectories(int n) {
            this.nTrajectories = n;
            return this;
        }

        public Builder spatialDim(String name, float... coordinates) {
            spatialDims.add(new SpatialDim(name, coordinates.clone()));
            return this;
        }

        public Builder time(float... values) {
            this.time = Time.shared(values.clone());
            return this;
        }

        public Builder time(Time time) {
            this.time = time;
            return this;
        }

        /** A simulation parameter: Double/Float become float64, Long/Integer int64, String a string. */
        public Builder simulationParameter(String name, Object value) {
            Object stored = switch (value) {
                case Float f -> f.doubleValue();
                case Integer i -> i.longValue();
                case Double d -> d;
                case Long l -> l;
                case String s -> s;
                default -> throw new IllegalArgumentException("simulation parameter " + name + ": " + value
                        + " is not a number or string");
            };
            simulationParameters.put(name, stored);
            return this;
        }

        public Builder scalar(Scalar scalar) {
            scalars.add(scalar);
            return this;
        }

        public Builder boundary(BoundaryGroup group) {
            boundaryGroups.add(group);
            return this;
        }

        public Builder field(Field field) {
            fields.add(field);
            return this;
        }

        public WellSpec build() {
            return new WellSpec(datasetName, gridType, nTrajectories, spatialDims, time, simulationParameters,
                    scalars, boundaryGroups, fields);
        }
    }
}
