package org.walrusjava.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.data.FieldVocabulary;
import org.walrusjava.data.WellSpec;
import org.walrusjava.importer.ImportMapping.FieldMapping;
import org.walrusjava.importer.ImportMapping.GridAxis;

/**
 * A mapping checked against the source arrays: the sizes every array agrees on, the coordinates, and per field
 * where its components are. Every refusal is a one-line UserError naming the mapping file or array and the field.
 *
 * @param trajectories source trajectories (1 when no array has a traj axis)
 * @param steps        time steps
 */
record ImportPlan(int trajectories, int steps, int[] resolution, List<float[]> coordinates, float[] times,
                  List<FieldSource> fields) {
    /** Relative tolerance of "uniform" spacing (float32 coordinates carry about 7 digits). */
    private static final double UNIFORM_TOLERANCE = 1e-4;

    static ImportPlan of(ImportMapping mapping, ArraySource source) {
        Sizes sizes = new Sizes(mapping);
        List<List<FieldSource.Component>> components = new ArrayList<>();
        List<WellSpec.Field> fields = new ArrayList<>();
        for (FieldMapping f : mapping.fields()) {
            int rank = rank(mapping, f);
            int count = (int) Math.pow(mapping.grid().size(), rank);
            int given = f.channels().isEmpty() ? f.arrays().size() : f.channels().size();
            if (given != count) {
                throw new UserError(mapping.file() + ": field " + f.name() + ": " + given + " component"
                        + (given == 1 ? "" : "s") + " given, a " + describeRank(rank) + " in " + mapping.grid().size()
                        + "-D needs " + count + " (" + String.join(", ", componentNames(f.name(), rank, mapping.spatialNames()))
                        + ", in that order)");
            }
            List<FieldSource.Component> list = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                SourceArray array = source.array(f.arrays().size() == 1 ? f.arrays().getFirst() : f.arrays().get(c));
                list.add(sizes.component(f, array, f.channels().isEmpty() ? -1 : f.channels().get(c)));
            }
            components.add(list);
            boolean sampleVarying = f.axes().contains(ImportMapping.TRAJECTORY);
            fields.add(new WellSpec.Field(f.name(), rank, sampleVarying || !f.constant(), !f.constant(), null, false, false));
        }
        int trajectories = sizes.trajectories < 0 ? 1 : sizes.trajectories;
        for (int i = 0; i < fields.size(); i++) {
            FieldMapping f = mapping.fields().get(i);
            if (!f.constant() && trajectories > 1 && !f.axes().contains(ImportMapping.TRAJECTORY)) {
                throw new UserError(mapping.file() + ": field " + f.name() + ": its arrays have no traj axis but other"
                        + " fields have " + trajectories + " trajectories");
            }
        }
        if (sizes.steps < 0) throw new UserError(mapping.file() + ": no field has a time axis");
        int[] resolution = sizes.spatial;
        List<float[]> coordinates = new ArrayList<>();
        for (int a = 0; a < resolution.length; a++) {
            GridAxis axis = mapping.grid().get(a);
            coordinates.add(axis.spacing() != null ? uniform(axis.origin(), axis.spacing(), resolution[a])
                    : read(source, axis.coordinates(), "grid." + axis.name(), resolution[a]));
        }
        float[] times = mapping.time().dt() != null ? uniform(mapping.time().start(), mapping.time().dt(), sizes.steps)
                : read(source, mapping.time().coordinates(), "time", sizes.steps);
        List<FieldSource> sources = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            sources.add(new FieldSource(mapping.fields().get(i), fields.get(i), components.get(i), resolution));
        }
        return new ImportPlan(trajectories, sizes.steps, resolution, coordinates, times, sources);
    }

    /**
     * The tensor order of a field: given for a new one; for a vocabulary name, 0 when the name itself is in the
     * vocabulary, 1 or 2 when its x/xx... components are (after padding to 3-D as the model sees them).
     */
    static int rank(ImportMapping mapping, FieldMapping f) {
        FieldVocabulary vocabulary = FieldVocabulary.released();
        if (f.isNew()) {
            for (int rank = 0; rank <= 2; rank++) {
                for (String channel : componentNames(f.name(), rank, List.of("x", "y", "z"))) {
                    if (vocabulary.contains(channel)) {
                        throw new UserError(mapping.file() + ": field " + f.name() + " is marked new: true but "
                                + channel + " is already in the vocabulary; drop new: true to use it");
                    }
                }
            }
            return f.order();
        }
        for (int rank = 0; rank <= 2; rank++) {
            if (componentNames(f.name(), rank, List.of("x", "y", "z")).stream()
                    .allMatch(vocabulary::contains)) {
                if (rank == 0 && f.name().matches(".*_[xyz]{1,2}") && vectorOwner(f.name(), vocabulary) != null) {
                    String owner = vectorOwner(f.name(), vocabulary);
                    throw new UserError(mapping.file() + ": field " + f.name() + " is one component of " + owner
                            + "; map " + owner + " with all its components (arrays: [...] or channels: [...])");
                }
                return rank;
            }
        }
        throw new UserError(mapping.file() + ": field " + f.name() + " is not in the Walrus vocabulary (closest: "
                + String.join(", ", VocabularyMatch.closest(f.name(), 3)) + "); rename it, or add new: true and order:"
                + " 0/1/2 to fine-tune on it (see walrus fields)");
    }

    /** For "velocity_x", "velocity" when all of velocity's components are in the vocabulary; else null. */
    private static String vectorOwner(String name, FieldVocabulary vocabulary) {
        String owner = name.substring(0, name.lastIndexOf('_'));
        int rank = name.length() - owner.length() - 1;
        return componentNames(owner, rank, List.of("x", "y", "z")).stream().allMatch(vocabulary::contains) ? owner : null;
    }

    static List<String> componentNames(String name, int rank, List<String> axes) {
        return new WellSpec.Field(name, rank, true, true, null, false, false).channels(axes);
    }

    private static String describeRank(int rank) {
        return switch (rank) {
            case 0 -> "scalar";
            case 1 -> "vector";
            default -> "rank-2 tensor";
        };
    }

    private static float[] uniform(double start, double step, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (start + i * step);
        return out;
    }

    /**
     * A coordinate array of {@code n} values, checked strictly increasing with a constant step. With one source per
     * trajectory it has a leading trajectory axis, and every trajectory must have the same coordinates.
     */
    private static float[] read(ArraySource source, String name, String what, int n) {
        SourceArray array = source.array(name);
        long[] shape = array.shape();
        if (shape.length < 1 || shape.length > 2 || shape[shape.length - 1] != n) {
            throw new UserError(array.label() + ": " + what + " coordinates must be 1-D with " + n + " values, got shape "
                    + Arrays.toString(shape));
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = array.get(shape.length == 1 ? new long[] {i} : new long[] {0, i});
        for (int k = 1; shape.length == 2 && k < shape[0]; k++) {
            for (int i = 0; i < n; i++) {
                if (array.get(new long[] {k, i}) != values[i]) {
                    throw new UserError(array.label() + ": " + what + " coordinates differ between trajectory 0 and " + k
                            + " at index " + i + " (" + values[i] + " vs " + array.get(new long[] {k, i}) + ")");
                }
            }
        }
        if (n > 1) {
            double step = (values[n - 1] - values[0]) / (n - 1);
            for (int i = 1; i < n; i++) {
                double d = values[i] - values[i - 1];
                if (!(step > 0) || Math.abs(d - step) > UNIFORM_TOLERANCE * step) {
                    throw new UserError(array.label() + ": " + what + " is not uniform: step " + d + " between "
                            + (what.equals("time") ? "steps " : "points ") + (i - 1) + " and " + i + ", mean step " + step
                            + (what.equals("time") ? " (Walrus needs a constant dt; resample first)"
                            : " (Walrus needs a uniform Cartesian grid; interpolate first)"));
                }
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) values[i];
        return out;
    }

    /** The trajectory, step and grid sizes, fixed by the first array that has each axis and checked on the rest. */
    private static final class Sizes {
        private final ImportMapping mapping;
        private int trajectories = -1;
        private int steps = -1;
        private final int[] spatial;
        private String firstSpatial;

        Sizes(ImportMapping mapping) {
            this.mapping = mapping;
            spatial = new int[mapping.grid().size()];
        }

        FieldSource.Component component(FieldMapping f, SourceArray array, int channel) {
            long[] shape = array.shape();
            List<String> axes = f.axes();
            if (shape.length != axes.size()) {
                throw new UserError(array.label() + ": field " + f.name() + ": shape " + Arrays.toString(shape) + " has "
                        + shape.length + " axes, the mapping's axes " + axes + " name " + axes.size());
            }
            int trajectoryAxis = axes.indexOf(ImportMapping.TRAJECTORY);
            int timeAxis = axes.indexOf(ImportMapping.TIME);
            int channelAxis = axes.indexOf(ImportMapping.CHANNEL);
            if (trajectoryAxis >= 0) trajectories = agree(trajectories, shape[trajectoryAxis], "trajectories", array, f);
            if (timeAxis >= 0) steps = agree(steps, shape[timeAxis], "time steps", array, f);
            if (channelAxis >= 0 && (channel < 0 || channel >= shape[channelAxis])) {
                throw new UserError(array.label() + ": field " + f.name() + ": channel " + channel + " is out of range;"
                        + " the channel axis has " + shape[channelAxis]);
            }
            int[] spatialAxes = new int[spatial.length];
            for (int d = 0; d < spatial.length; d++) {
                spatialAxes[d] = axes.indexOf(mapping.spatialNames().get(d));
                long n = shape[spatialAxes[d]];
                if (spatial[d] == 0) {
                    spatial[d] = Math.toIntExact(n);
                    if (firstSpatial == null) firstSpatial = array.label();
                } else if (spatial[d] != n) {
                    throw new UserError(array.label() + ": field " + f.name() + ": axis " + mapping.spatialNames().get(d)
                            + " has " + n + " points, " + firstSpatial + " has " + spatial[d] + " (inconsistent shapes)");
                }
            }
            return new FieldSource.Component(array, trajectoryAxis, timeAxis, spatialAxes, channelAxis, channel);
        }

        private static int agree(int known, long n, String what, SourceArray array, FieldMapping f) {
            if (known >= 0 && known != n) {
                throw new UserError(array.label() + ": field " + f.name() + " has " + n + " " + what + ", earlier arrays have "
                        + known + " (inconsistent shapes)");
            }
            return Math.toIntExact(n);
        }
    }
}
