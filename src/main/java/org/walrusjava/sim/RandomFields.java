package org.walrusjava.sim;

import java.util.SplittableRandom;

/** Smooth random fields for initial conditions and media, drawn from a {@link SplittableRandom}. */
final class RandomFields {
    private RandomFields() {}

    static double uniform(SplittableRandom rng, double lower, double upper) {
        return lower + (upper - lower) * rng.nextDouble();
    }

    static double logUniform(SplittableRandom rng, double lower, double upper) {
        return Math.exp(uniform(rng, Math.log(lower), Math.log(upper)));
    }

    /**
     * A zero-mean, unit-RMS sum of {@code modes} plane waves cos(2 pi k . x + phase) on the unit periodic box, with
     * integer wavevectors of length 1..maxWavenumber and amplitudes falling as 1/|k|. The grid is row-major over
     * {@code shape} with x_i = i / n per axis, so the field is periodic for every shape.
     */
    static double[] fourierModes(SplittableRandom rng, int[] shape, int maxWavenumber, int modes) {
        int dims = shape.length;
        int points = 1;
        for (int n : shape) points *= n;
        double[] field = new double[points];
        int[] k = new int[dims];
        double[] phase = new double[points];
        for (int mode = 0; mode < modes; mode++) {
            double length;
            do {
                length = 0;
                for (int a = 0; a < dims; a++) {
                    k[a] = rng.nextInt(-maxWavenumber, maxWavenumber + 1);
                    length += k[a] * k[a];
                }
                length = Math.sqrt(length);
            } while (length == 0 || length > maxWavenumber);
            double amplitude = rng.nextGaussian() / length;
            double offset = uniform(rng, 0, 2 * Math.PI);
            // phase(x) = 2 pi k . x, accumulated axis by axis over the row-major index
            java.util.Arrays.fill(phase, offset);
            int inner = points;
            for (int a = 0; a < dims; a++) {
                inner /= shape[a];
                for (int p = 0; p < points; p++) phase[p] += 2 * Math.PI * k[a] * ((p / inner) % shape[a]) / shape[a];
            }
            for (int p = 0; p < points; p++) field[p] += amplitude * Math.cos(phase[p]);
        }
        return normalised(field);
    }

    /** Shifts to zero mean and scales to unit RMS (a constant field stays zero). */
    static double[] normalised(double[] field) {
        double mean = 0;
        for (double v : field) mean += v;
        mean /= field.length;
        double sumSq = 0;
        for (int p = 0; p < field.length; p++) {
            field[p] -= mean;
            sumSq += field[p] * field[p];
        }
        double rms = Math.sqrt(sumSq / field.length);
        if (rms > 0) for (int p = 0; p < field.length; p++) field[p] /= rms;
        return field;
    }
}
