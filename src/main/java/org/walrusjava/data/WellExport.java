package org.walrusjava.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;

/**
 * Exports one trajectory's steps [A, B) of a Well file as plain arrays, named by channel as stored (no 3-D
 * inflation, no field transforms): each variable channel (B - A, grid...) and each constant channel (grid...),
 * tiled to the full grid where the field lacks an axis.
 */
public final class WellExport {
    private WellExport() {}

    /** The arrays of the export, variable channels first, in loader order. */
    public static List<ArrayFileWriter.NamedArray> arrays(WellFile file, int trajectory, int stepStart, int stepEnd) {
        if (trajectory < 0 || trajectory >= file.nTrajectories()) {
            throw new UserError(file.path() + ": trajectory " + trajectory + " out of range 0.."
                    + (file.nTrajectories() - 1));
        }
        if (stepStart < 0 || stepEnd > file.nSteps() || stepStart >= stepEnd) {
            throw new UserError(file.path() + ": steps " + stepStart + ":" + stepEnd + " are not a non-empty range"
                    + " within 0:" + file.nSteps());
        }
        int[] grid = file.spatialResolution();
        int steps = stepEnd - stepStart;
        List<ArrayFileWriter.NamedArray> out = new ArrayList<>();
        for (FieldInfo f : file.fields()) {
            float[] values = f.isConstant() ? file.readConstant(f, trajectory)
                    : file.readFrames(f, trajectory, stepStart, steps, 1);
            int[] shape = f.isConstant() ? grid : prepend(steps, grid);
            for (int c = 0; c < f.nChannels(); c++) {
                out.add(new ArrayFileWriter.NamedArray(f.channels().get(c), shape, channel(values, f.nChannels(), c)));
            }
        }
        return out;
    }

    /** Writes the export; the safetensors metadata records where the arrays came from. */
    public static List<ArrayFileWriter.NamedArray> export(Path hdf5, int trajectory, int stepStart, int stepEnd,
                                                          Path target, ArrayFileWriter.Format format) {
        try (WellFile file = WellFile.open(hdf5)) {
            List<ArrayFileWriter.NamedArray> arrays = arrays(file, trajectory, stepStart, stepEnd);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("dataset_name", file.datasetName());
            metadata.put("source", hdf5.getFileName().toString());
            metadata.put("trajectory", String.valueOf(trajectory));
            metadata.put("steps", stepStart + ":" + stepEnd);
            metadata.put("spatial_dims", String.join(",", file.spatialDims()));
            metadata.put("constant_channels", String.join(",", file.constantChannels()));
            metadata.put("boundary_conditions", Arrays.deepToString(file.boundaryConditions()));
            ArrayFileWriter.write(target, format, arrays, metadata);
            return arrays;
        }
    }

    private static int[] prepend(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** Channel c of a channels-last array as its own contiguous array. */
    private static float[] channel(float[] values, int channels, int c) {
        float[] out = new float[values.length / channels];
        for (int i = 0; i < out.length; i++) out[i] = values[i * channels + c];
        return out;
    }
}
