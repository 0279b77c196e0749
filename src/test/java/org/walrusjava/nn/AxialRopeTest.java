package org.walrusjava.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * The rotation against its definition, evaluated element by element in float64: positions linspace(-1, 1, n) per
 * axis, frequencies repeated per pair, axes (h, w, d) in that order over the leading dims, pairs (x[2j], x[2j+1])
 * rotated by their angle, dims past 6 x nFreqs unchanged (bit for bit).
 */
class AxialRopeTest {
    @Test
    void rotatesEachPairByItsAxisAngleAndLeavesTheRestAlone() {
        int nFreqs = 2, headDim = 16; // 12 rotated dims, 4 left alone
        float[] freqs = {1.5f, 0.25f};
        AxialRope rope = new AxialRope(nFreqs);
        rope.load(Map.of("freqs", Tensor.of(freqs, nFreqs)), DType.FLOAT32, Device.CPU, "test");
        long h = 3, w = 4, d = 1;
        Tensor.manualSeed(2);
        Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 2, h, w, d, headDim);
        float[] in = x.toFloatArray(), out = rope.rotation(h, w, d, headDim).apply(x).toFloatArray();
        long[] n = {h, w, d};
        int i = 0;
        for (int s = 0; s < 2; s++)
            for (int a = 0; a < h; a++)
                for (int b = 0; b < w; b++)
                    for (int c = 0; c < d; c++, i += headDim) {
                        long[] at = {a, b, c};
                        for (int j = 0; j < headDim; j += 2) {
                            if (j >= 6 * nFreqs) {
                                assertEquals(in[i + j], out[i + j]);
                                assertEquals(in[i + j + 1], out[i + j + 1]);
                                continue;
                            }
                            int axis = j / (2 * nFreqs);
                            double pos = n[axis] == 1 ? -1 : -1 + 2.0 * at[axis] / (n[axis] - 1);
                            double angle = pos * freqs[(j % (2 * nFreqs)) / 2];
                            double x0 = in[i + j], x1 = in[i + j + 1];
                            assertEquals(x0 * Math.cos(angle) - x1 * Math.sin(angle), out[i + j], 1e-6);
                            assertEquals(x1 * Math.cos(angle) + x0 * Math.sin(angle), out[i + j + 1], 1e-6);
                        }
                    }
    }
}
