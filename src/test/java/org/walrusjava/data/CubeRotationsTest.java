package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CubeRotationsTest {
    private static final List<CubeRotations.Rotation> ALL = CubeRotations.all();

    /** A scalar s, a vector v and a rank-2 tensor T, all with 3-D components. */
    private static final ChannelLayout LAYOUT = new ChannelLayout(
            List.of("s", "v_x", "v_y", "v_z", "T_xx", "T_xy", "T_xz", "T_yx", "T_yy", "T_yz", "T_zx", "T_zy", "T_zz"),
            List.of(new TensorChannels("s", 0, 0, 3), new TensorChannels("v", 1, 1, 3),
                    new TensorChannels("T", 2, 4, 3)));

    @Test
    void twentyFourDistinctProperRotationsClosedUnderCompositionAndInverse() {
        assertEquals(24, ALL.size());
        assertEquals(24, new HashSet<>(ALL).size());
        assertTrue(ALL.getFirst().isIdentity());
        Set<CubeRotations.Rotation> group = new HashSet<>(ALL);
        for (CubeRotations.Rotation a : ALL) {
            assertEquals(1, a.determinant());
            assertTrue(group.contains(a.inverse()));
            assertTrue(a.then(a.inverse()).isIdentity());
            assertTrue(a.inverse().then(a).isIdentity());
            for (CubeRotations.Rotation b : ALL) assertTrue(group.contains(a.then(b)), a + " then " + b);
        }
        // composition of data transforms equals the transform of the composition
        Random rng = new Random(3);
        int[] shape = {3, 4, 5};
        float[] data = randomFrames(rng, 2, shape);
        for (int i = 0; i < 40; i++) {
            CubeRotations.Rotation a = CubeRotations.random(rng);
            CubeRotations.Rotation b = CubeRotations.random(rng);
            float[] twice = b.applyToFrames(a.applyToFrames(data, shape, LAYOUT), a.applyToShape(shape), LAYOUT);
            assertArrayEquals(a.then(b).applyToFrames(data, shape, LAYOUT), twice);
            assertArrayEquals(data, a.inverse().applyToFrames(a.applyToFrames(data, shape, LAYOUT),
                    a.applyToShape(shape), LAYOUT));
        }
    }

    /** The tensor law: at the rotated position M c, v' = M v and T' = M T M^T; scalars just move; norms kept. */
    @Test
    void fieldsTransformByTheirRank() {
        Random rng = new Random(5);
        int[] shape = {3, 4, 5};
        float[] data = randomFrames(rng, 1, shape);
        for (CubeRotations.Rotation r : ALL) {
            float[] out = r.applyToFrames(data, shape, LAYOUT);
            int[] outShape = r.applyToShape(shape);
            int[][] m = r.matrix();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < 5; k++) {
                        // centred coordinates (doubled to stay integral): c' = M c
                        int[] c = {2 * i - (shape[0] - 1), 2 * j - (shape[1] - 1), 2 * k - (shape[2] - 1)};
                        int[] cOut = new int[3];
                        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) cOut[a] += m[a][b] * c[b];
                        int[] idx = new int[3];
                        for (int a = 0; a < 3; a++) idx[a] = (cOut[a] + outShape[a] - 1) / 2;
                        int in = ((i * shape[1] + j) * shape[2] + k) * 13;
                        int o = ((idx[0] * outShape[1] + idx[1]) * outShape[2] + idx[2]) * 13;
                        assertEquals(data[in], out[o], "scalar");
                        double normIn = 0;
                        double normOut = 0;
                        for (int a = 0; a < 3; a++) {
                            double mv = 0;
                            for (int b = 0; b < 3; b++) mv += m[a][b] * data[in + 1 + b];
                            assertEquals((float) mv, out[o + 1 + a], "vector component " + a);
                            normIn += data[in + 1 + a] * data[in + 1 + a];
                            normOut += out[o + 1 + a] * out[o + 1 + a];
                            for (int b = 0; b < 3; b++) {
                                double mtm = 0;
                                for (int p = 0; p < 3; p++) {
                                    for (int q = 0; q < 3; q++) mtm += m[a][p] * data[in + 4 + 3 * p + q] * m[b][q];
                                }
                                assertEquals((float) mtm, out[o + 4 + 3 * a + b], "tensor " + a + b);
                            }
                        }
                        assertEquals(normIn, normOut, 1e-12, "vector norm");
                    }
                }
            }
        }
    }

    /** A discrete curl is discretely divergence-free; after any rotation it still is, on the rotated grid. */
    @Test
    void divergenceFreeFieldStaysDivergenceFree() {
        int[] shape = {6, 8, 10};
        ChannelLayout vector = new ChannelLayout(List.of("u_x", "u_y", "u_z"), List.of(new TensorChannels("u", 1, 0, 3)));
        Random rng = new Random(9);
        double[][] potential = new double[3][6 * 8 * 10];
        for (double[] p : potential) for (int i = 0; i < p.length; i++) p[i] = rng.nextGaussian();
        float[] u = new float[6 * 8 * 10 * 3];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 8; j++) {
                for (int k = 0; k < 10; k++) {
                    int p = (i * 8 + j) * 10 + k;
                    u[p * 3] = (float) (d(potential[2], shape, i, j, k, 1) - d(potential[1], shape, i, j, k, 2));
                    u[p * 3 + 1] = (float) (d(potential[0], shape, i, j, k, 2) - d(potential[2], shape, i, j, k, 0));
                    u[p * 3 + 2] = (float) (d(potential[1], shape, i, j, k, 0) - d(potential[0], shape, i, j, k, 1));
                }
            }
        }
        double scale = maxAbs(u);
        assertTrue(maxDivergence(u, shape) < 1e-5 * scale);
        for (CubeRotations.Rotation r : ALL) {
            float[] rotated = r.applyToFrames(u, shape, vector);
            double div = maxDivergence(rotated, r.applyToShape(shape));
            assertTrue(div < 1e-5 * scale, r + ": max |div| " + div + " vs field scale " + scale);
        }
        // a rotation that breaks the tensor law (components moved but not sign-flipped) is caught
        CubeRotations.Rotation flipX = ALL.stream().filter(r -> r.flips()[0] && !r.flips()[1]).findFirst().orElseThrow();
        float[] wrong = flipX.applyToFrames(u, shape, new ChannelLayout(List.of("a", "b", "c"), List.of(
                new TensorChannels("a", 0, 0, 3), new TensorChannels("b", 0, 1, 3), new TensorChannels("c", 0, 2, 3))));
        assertTrue(maxDivergence(wrong, flipX.applyToShape(shape)) > 0.1 * scale);
    }

    /** Periodic central difference of f along axis a (unit spacing). */
    private static double d(double[] f, int[] s, int i, int j, int k, int a) {
        int[] plus = {i, j, k};
        int[] minus = {i, j, k};
        plus[a] = (plus[a] + 1) % s[a];
        minus[a] = (minus[a] - 1 + s[a]) % s[a];
        return (f[(plus[0] * s[1] + plus[1]) * s[2] + plus[2]] - f[(minus[0] * s[1] + minus[1]) * s[2] + minus[2]]) / 2;
    }

    private static double maxDivergence(float[] u, int[] s) {
        double[][] comp = new double[3][s[0] * s[1] * s[2]];
        for (int p = 0; p < comp[0].length; p++) for (int c = 0; c < 3; c++) comp[c][p] = u[p * 3 + c];
        double max = 0;
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                for (int k = 0; k < s[2]; k++) {
                    double div = d(comp[0], s, i, j, k, 0) + d(comp[1], s, i, j, k, 1) + d(comp[2], s, i, j, k, 2);
                    max = Math.max(max, Math.abs(div));
                }
            }
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Test
    void boundaryTableFollowsTheAxes() {
        int[][] bcs = {{0, 1}, {2, 2}, {1, 0}};
        for (CubeRotations.Rotation r : ALL) {
            int[][] out = r.applyToBoundaryConditions(bcs);
            for (int k = 0; k < 3; k++) {
                int[] src = bcs[r.permutation()[k]];
                assertArrayEquals(r.flips()[k] ? new int[] {src[1], src[0]} : src, out[k]);
            }
        }
        // a quarter turn about z: x' = -y, y' = x  ->  new x axis is old y reversed
        CubeRotations.Rotation quarter = new CubeRotations.Rotation(new int[] {1, 0, 2}, new boolean[] {true, false, false});
        assertEquals(1, quarter.determinant());
        assertArrayEquals(new int[][] {{2, 2}, {0, 1}, {1, 0}}, quarter.applyToBoundaryConditions(bcs));
        assertArrayEquals(new double[] {-2, 1, 3}, quarter.applyToVector(new double[] {1, 2, 3}));
    }

    /** Inflated 2-D data can be laid into the xz and yz planes; data, mask and boundaries move together. */
    @Test
    void twoDimensionalDataRotatesIntoOtherPlanes() {
        try (WellDataset d = WellDataset.builder(WellFixtures.dataset("walls2d")).build()) {
            Batch b = d.sample(0, new Random(0));
            int[] shape = b.spatialShape();
            assertArrayEquals(new int[] {128, 32, 1}, shape);
            Set<String> planes = new HashSet<>();
            for (CubeRotations.Rotation r : ALL) {
                int[] s = r.applyToShape(shape);
                boolean[] mask = Inflation.paddedFieldMask(d.info().variableLayout(), s);
                int flat = s[0] == 1 ? 0 : s[1] == 1 ? 1 : 2;
                planes.add(flat == 0 ? "yz" : flat == 1 ? "xz" : "xy");
                assertTrue(!mask[2 + flat] && mask[2 + (flat + 1) % 3] && mask[2 + (flat + 2) % 3],
                        "only the velocity component normal to the plane is padding");
                int[][] bcs = r.applyToBoundaryConditions(b.boundaryConditions());
                assertArrayEquals(new int[] {2, 2}, bcs[flat], "the padded axis stays periodic");
                float[] out = r.applyToFrames(b.input(), shape, d.info().variableLayout());
                for (int p = 0; p < out.length; p += 5) assertEquals(0f, out[p + 2 + flat], "normal velocity is zero");
                assertEquals(sumSquares(b.input()), sumSquares(out), 1e-9 * sumSquares(b.input()));
            }
            assertEquals(Set.of("xy", "xz", "yz"), planes);
        }
    }

    private static double sumSquares(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return s;
    }

    private static float[] randomFrames(Random rng, int frames, int[] shape) {
        float[] data = new float[frames * shape[0] * shape[1] * shape[2] * 13];
        for (int i = 0; i < data.length; i++) data[i] = (float) rng.nextGaussian();
        return data;
    }
}
