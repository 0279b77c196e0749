package org.walrusjava.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The 24 proper rotations of the cube, the augmentation group of Walrus training (spec §4.3, the_well
 * `RandomRotation90` on 3-D data). Each is an axis permutation followed by reflections, i.e. a signed permutation
 * matrix M with det M = +1: {@code M[k][permutation[k]] = flips[k] ? -1 : 1}. Applied to data it moves the value at
 * centred grid position c to M c and transforms every tensor by its rank (v -> M v, T -> M T M^T), so physics
 * stays physics: norms, divergence-freeness and the boundary table all follow the grid. Since 2-D data is
 * inflated to 3-D first, a rotation can lay a 2-D plane into xz or yz.
 */
public final class CubeRotations {
    private static final List<Rotation> ALL = enumerate();

    private CubeRotations() {}

    /** All 24, the identity first. */
    public static List<Rotation> all() {
        return ALL;
    }

    public static Rotation identity() {
        return ALL.getFirst();
    }

    /** A uniformly drawn rotation. */
    public static Rotation random(Random rng) {
        return ALL.get(rng.nextInt(ALL.size()));
    }

    private static List<Rotation> enumerate() {
        List<Rotation> out = new ArrayList<>();
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] p : perms) {
            for (int mask = 0; mask < 8; mask++) {
                boolean[] flips = {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0};
                Rotation r = new Rotation(p, flips);
                if (r.determinant() == 1) out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /**
     * One rotation: output axis k is input axis {@code permutation[k]}, reversed where {@code flips[k]}; output
     * vector component k is input component {@code permutation[k]}, negated where {@code flips[k]}.
     */
    public record Rotation(int[] permutation, boolean[] flips) {

        public Rotation {
            permutation = permutation.clone();
            flips = flips.clone();
            if (permutation.length != 3 || flips.length != 3) throw new IllegalArgumentException("3-D only");
        }

        /** The signed permutation matrix. */
        public int[][] matrix() {
            int[][] m = new int[3][3];
            for (int k = 0; k < 3; k++) m[k][permutation[k]] = flips[k] ? -1 : 1;
            return m;
        }

        private static Rotation ofMatrix(int[][] m) {
            int[] perm = new int[3];
            boolean[] flips = new boolean[3];
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 3; j++) {
                    if (m[k][j] != 0) {
                        perm[k] = j;
                        flips[k] = m[k][j] < 0;
                    }
                }
            }
            return new Rotation(perm, flips);
        }

        public int determinant() {
            int[][] m = matrix();
            return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        }

        /** This rotation followed by {@code next} (matrix next · this). */
        public Rotation then(Rotation next) {
            int[][] a = next.matrix();
            int[][] b = matrix();
            int[][] m = new int[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 3; k++) m[i][j] += a[i][k] * b[k][j];
                }
            }
            return ofMatrix(m);
        }

        /** The inverse rotation (the transposed matrix). */
        public Rotation inverse() {
            int[][] m = matrix();
            int[][] t = new int[3][3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) t[i][j] = m[j][i];
            return ofMatrix(t);
        }

        public boolean isIdentity() {
            return Arrays.equals(permutation, new int[] {0, 1, 2}) && !flips[0] && !flips[1] && !flips[2];
        }

        /** M v. */
        public double[] applyToVector(double[] v) {
            double[] out = new double[3];
            for (int k = 0; k < 3; k++) out[k] = flips[k] ? -v[permutation[k]] : v[permutation[k]];
            return out;
        }

        /** The grid shape after rotation. */
        public int[] applyToShape(int[] shape) {
            int[] out = new int[3];
            for (int k = 0; k < 3; k++) out[k] = shape[permutation[k]];
            return out;
        }

        /** Boundary rows follow their axes; a reflected axis swaps its lower and upper faces. */
        public int[][] applyToBoundaryConditions(int[][] bcs) {
            int[][] out = new int[3][];
            for (int k = 0; k < 3; k++) {
                int[] row = bcs[permutation[k]];
                out[k] = flips[k] ? new int[] {row[1], row[0]} : row.clone();
            }
            return out;
        }

        /**
         * Rotates channels-last data laid out (frames..., shape[0], shape[1], shape[2], channels): grid values
         * move, and each field's components transform by its rank. Returns data in the rotated shape
         * {@link #applyToShape}.
         */
        public float[] applyToFrames(float[] data, int[] shape, ChannelLayout layout) {
            int channels = layout.size();
            int frameSize = shape[0] * shape[1] * shape[2] * channels;
            int frames = frameSize == 0 ? 0 : data.length / frameSize;
            int[] channelSource = new int[channels];
            float[] channelSign = new float[channels];
            fillChannelMap(layout, channelSource, channelSign);

            int[] inStride = {shape[1] * shape[2] * channels, shape[2] * channels, channels};
            int[] outShape = applyToShape(shape);
            int[] step = new int[3];
            int[] start = new int[3];
            for (int k = 0; k < 3; k++) {
                int stride = inStride[permutation[k]];
                step[k] = flips[k] ? -stride : stride;
                start[k] = flips[k] ? (outShape[k] - 1) * stride : 0;
            }
            float[] out = new float[data.length];
            int o = 0;
            for (int f = 0; f < frames; f++) {
                int base = f * frameSize;
                for (int i = 0, p0 = base + start[0] + start[1] + start[2]; i < outShape[0]; i++, p0 += step[0]) {
                    for (int j = 0, p1 = p0; j < outShape[1]; j++, p1 += step[1]) {
                        for (int l = 0, p2 = p1; l < outShape[2]; l++, p2 += step[2]) {
                            for (int c = 0; c < channels; c++) {
                                // + 0f turns the -0.0 of a negated zero (padded components) into +0.0
                                out[o++] = channelSign[c] * data[p2 + channelSource[c]] + 0f;
                            }
                        }
                    }
                }
            }
            return out;
        }

        /** Output component (k1..kr) = (prod of signs of k_i) * input component (perm[k1]..perm[kr]). */
        private void fillChannelMap(ChannelLayout layout, int[] source, float[] sign) {
            for (int c = 0; c < source.length; c++) {
                source[c] = c;
                sign[c] = 1f;
            }
            for (TensorChannels g : layout.fields()) {
                if (g.rank() > 0 && g.componentDims() != 3) {
                    throw new IllegalArgumentException("field " + g.field() + " has " + g.componentDims()
                            + "-D components; rotate inflated (3-D) data");
                }
                for (int c = 0; c < g.count(); c++) {
                    int[] idx = g.indices(c);
                    int[] src = new int[idx.length];
                    float s = 1f;
                    for (int r = 0; r < idx.length; r++) {
                        src[r] = permutation[idx[r]];
                        if (flips[idx[r]]) s = -s;
                    }
                    source[g.firstChannel() + c] = g.firstChannel() + g.component(src);
                    sign[g.firstChannel() + c] = s;
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rotation r && Arrays.equals(r.permutation, permutation) && Arrays.equals(r.flips, flips);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(permutation) + Arrays.hashCode(flips);
        }

        @Override
        public String toString() {
            return "Rotation(perm=" + Arrays.toString(permutation) + ", flips=" + Arrays.toString(flips) + ")";
        }
    }
}
