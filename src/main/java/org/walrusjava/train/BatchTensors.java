package org.walrusjava.train;

import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * Moves a data-layer batch (plain channels-last float arrays) into the model's layout: the window
 * (T, B, C_var + C_con, H, W, D) with the constant fields repeated over time, and the first output frame
 * (1, B, C_var, H, W, D) as the target.
 */
public final class BatchTensors {
    private BatchTensors() {}

    public static Batch of(org.walrusjava.data.Batch b, Device device) {
        int[] s = b.spatialShape();
        if (s.length != 3)
            throw new UserError(b.datasetName() + ": Walrus needs 3-D grids (inflate 1-D/2-D data), got "
                    + Arrays.toString(s));
        long[] labels = Arrays.stream(b.fieldIndices()).asLongStream().toArray();
        return new Batch(window(b, device), frames(b.output(), b.batchSize(), b.outputSteps(), s, b.nVariable(), device)
                .narrow(0, 0, 1), labels, b.boundaryConditions(), b.paddedFieldMask().clone(), b.datasetName());
    }

    /** The input window with constants appended: (T_in, B, C, H, W, D). */
    public static Tensor window(org.walrusjava.data.Batch b, Device device) {
        int[] s = b.spatialShape();
        Tensor variable = frames(b.input(), b.batchSize(), b.inputSteps(), s, b.nVariable(), device);
        if (b.nConstant() == 0) return variable;
        Tensor constants = Tensor.of(b.constants(), b.batchSize(), s[0], s[1], s[2], b.nConstant()).to(device)
                .permute(4, 0, 1, 2, 3) // C, B, H, W, D
                .unsqueeze(0)
                .permute(0, 2, 1, 3, 4, 5)
                .expand(b.inputSteps(), b.batchSize(), b.nConstant(), s[0], s[1], s[2]);
        return Tensor.cat(List.of(variable, constants), 2).contiguous();
    }

    /** (B, T, H, W, D, C) channels-last floats -> (T, B, C, H, W, D). */
    public static Tensor frames(float[] data, int batch, int steps, int[] s, int channels, Device device) {
        return Tensor.of(data, batch, steps, s[0], s[1], s[2], channels).to(device)
                .permute(1, 0, 5, 2, 3, 4).contiguous();
    }
}
