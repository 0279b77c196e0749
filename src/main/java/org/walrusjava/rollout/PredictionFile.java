package org.walrusjava.rollout;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.data.BoundaryGroup;
import org.walrusjava.data.FieldInfo;
import org.walrusjava.data.ScalarInfo;
import org.walrusjava.data.WellFile;
import org.walrusjava.data.WellSpec;
import org.walrusjava.data.WellWriter;

/**
 * Writes predicted frames as a Well file that looks like the one they came from: same dataset name, grid type,
 * coordinates, boundary groups (masks and values), simulation parameters, scalars and fields, values in the
 * source's physical units. Each ensemble member is one trajectory; time holds the predicted frames' times, scalars
 * that vary in time are taken at the predicted steps, constant fields are copied from the source trajectory.
 */
public final class PredictionFile {
    public static final String NAME = "prediction.hdf5";

    /**
     * Where the predictions came from.
     *
     * @param trajectory the trajectory within {@code file}
     * @param steps the source step index of each predicted frame (at least as many as are written)
     * @param times the time of each predicted frame
     */
    public record Source(Path file, int trajectory, int[] steps, float[] times, PhysicalChannels channels) {}

    private PredictionFile() {}

    /**
     * Writes the first {@code steps} frames of every member (model space, [step][model channel][cell]), or fewer
     * when a frame does not have finite values in physical units (10^x of a diverging log10 field overflows):
     * then the file ends before that frame. Returns the number of steps written; 0 writes nothing.
     */
    public static int write(Path target, Source source, List<float[][][]> members, int steps) {
        int finite = finiteSteps(source.channels(), members, steps);
        if (finite == 0) return 0;
        try (WellFile file = WellFile.open(source.file())) {
            WellSpec spec = spec(file, source, members.size(), finite);
            try (WellWriter writer = WellWriter.create(target, spec)) {
                int first = 0;
                for (FieldInfo f : file.variableFields()) {
                    for (int k = 0; k < members.size(); k++) {
                        for (int t = 0; t < finite; t++) {
                            writer.write(f.name(), k, t, storedFrame(members.get(k)[t], source.channels(), first,
                                    f.nChannels()));
                        }
                    }
                    first += f.nChannels();
                }
                for (FieldInfo f : file.constantFields()) {
                    writer.write(f.name(), 0, 0, file.readConstant(f, source.trajectory()));
                }
                writer.commit();
            }
        }
        return finite;
    }

    /** Steps before the first one with a non-finite physical value in any member. */
    private static int finiteSteps(PhysicalChannels channels, List<float[][][]> members, int steps) {
        for (int t = 0; t < steps; t++) {
            for (float[][][] member : members) {
                for (int s = 0; s < channels.size(); s++) {
                    for (float v : member[t][channels.modelChannel()[s]]) {
                        if (!Float.isFinite(channels.toPhysical(s, v))) return t;
                    }
                }
            }
        }
        return steps;
    }

    /** Stored channels [first, first + count) of one frame as the field's (grid..., components) array. */
    private static float[] storedFrame(float[][] frame, PhysicalChannels channels, int first, int count) {
        int cells = frame[channels.modelChannel()[first]].length;
        float[] out = new float[cells * count];
        for (int j = 0; j < count; j++) {
            float[] values = frame[channels.modelChannel()[first + j]];
            for (int p = 0; p < cells; p++) out[p * count + j] = channels.toPhysical(first + j, values[p]);
        }
        return out;
    }

    private static WellSpec spec(WellFile file, Source source, int members, int steps) {
        WellSpec.Builder b = WellSpec.builder(file.datasetName(), file.gridType()).trajectories(members)
                .time(Arrays.copyOf(source.times(), steps));
        int[] resolution = file.spatialResolution();
        for (int a = 0; a < resolution.length; a++) {
            String axis = file.spatialDims().get(a);
            float[] c = file.coordinates(axis);
            int from = c.length == resolution[a] ? 0 : source.trajectory() * resolution[a];
            b.spatialDim(axis, Arrays.copyOfRange(c, from, from + resolution[a]));
        }
        file.simulationParameters().forEach((name, value) -> {
            // The writer stores numbers and strings; flags and arrays stay in the source file.
            if (value instanceof Number || value instanceof String) b.simulationParameter(name, value);
        });
        for (ScalarInfo s : file.scalars()) b.scalar(scalar(file, s, source, steps));
        try (HdfFile hdf = new HdfFile(file.path())) {
            for (BoundaryGroup g : file.boundaryGroups()) b.boundary(boundary(file, hdf, g));
        }
        for (FieldInfo f : file.variableFields()) {
            b.field(WellSpec.Field.of(f.name(), f.rank()).symmetry(f.symmetric(), f.antisymmetric()));
        }
        for (FieldInfo f : file.constantFields()) {
            b.field(WellSpec.Field.of(f.name(), f.rank()).constant().symmetry(f.symmetric(), f.antisymmetric()));
        }
        return b.build();
    }

    /** A scalar at the source trajectory, and at the predicted steps if it varies in time. */
    private static WellSpec.Scalar scalar(WellFile file, ScalarInfo s, Source source, int steps) {
        double[] all = file.scalarValues(s.name());
        int perTrajectory = s.timeVarying() ? file.nSteps() : 1;
        int base = s.sampleVarying() ? source.trajectory() * perTrajectory : 0;
        float[] values = new float[s.timeVarying() ? steps : 1];
        for (int t = 0; t < values.length; t++) {
            values[t] = (float) all[base + (s.timeVarying() ? source.steps()[t] : 0)];
        }
        return new WellSpec.Scalar(s.name(), false, s.timeVarying(), values);
    }

    /**
     * A boundary group as the writer takes it: the mask over its own axes (the first one where a file stores it per
     * trajectory or step, which no Well dataset does) and its values, read from the source.
     */
    private static WellSpec.BoundaryGroup boundary(WellFile file, HdfFile hdf, BoundaryGroup g) {
        int points = 1;
        for (String dim : g.associatedDims()) points *= file.spatialResolution()[file.spatialDims().indexOf(dim)];
        boolean[] mask = Arrays.copyOf(g.mask(), points);
        int marked = 0;
        for (boolean m : mask) marked += m ? 1 : 0;
        float[] values = boundaryValues(hdf, g.name());
        if (values.length != marked) values = new float[marked];
        return new WellSpec.BoundaryGroup(g.name(), g.bcType(), g.associatedDims(), g.associatedFields(), mask, values);
    }

    /**
     * boundary_conditions/NAME/values, flattened; empty when the group has none (the_well's dummy files). WellFile
     * does not hand the values out, so they are read here.
     */
    private static float[] boundaryValues(HdfFile hdf, String group) {
        Node node = hdf.getByPath("boundary_conditions/" + group);
        if (!(node instanceof Group g) || !(g.getChild("values") instanceof Dataset values)) return new float[0];
        List<Float> out = new ArrayList<>();
        flatten(values.getData(), out);
        float[] result = new float[out.size()];
        for (int i = 0; i < result.length; i++) result[i] = out.get(i);
        return result;
    }

    private static void flatten(Object value, List<Float> out) {
        if (value instanceof Number n) {
            out.add(n.floatValue());
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0, n = Array.getLength(value); i < n; i++) flatten(Array.get(value, i), out);
        }
    }
}
