package org.walrusjava.data;

import org.walrusjava.UserError;

/**
 * Optional dataset-level normalisation with `stats.yaml` statistics, applied per stored channel when windows are
 * read (the_well's ZScore / RMS classes). The released Walrus does not use it: it normalises each sample on the
 * fly (spec §4.5), so the default is NONE.
 */
public enum Normalization {
    NONE,
    /** (x - mean) / max(std, minStd). */
    ZSCORE,
    /** x / max(rms, minStd). */
    RMS;

    /** Per channel {offset, scale}: x -> (x - offset) / scale. */
    double[][] coefficients(ChannelLayout stored, FieldStatistics stats, double minStd, String statsSource) {
        double[][] out = new double[stored.size()][];
        for (TensorChannels g : stored.fields()) {
            FieldStatistics.Entry e = stats.get(g.field());
            if (e == null || e.mean().length != g.count()) {
                throw new UserError(statsSource + ": no statistics for field '" + g.field() + "' with " + g.count()
                        + " component(s)");
            }
            for (int c = 0; c < g.count(); c++) {
                double offset = this == ZSCORE ? e.mean()[c] : 0;
                double spread = this == ZSCORE ? e.std()[c] : e.rms()[c];
                out[g.firstChannel() + c] = new double[] {offset, Math.max(spread, minStd)};
            }
        }
        return out;
    }

    /** Normalises a channels-last array in place. */
    static void apply(float[] data, double[][] coefficients) {
        int channels = coefficients.length;
        for (int i = 0; i < data.length; i += channels) {
            for (int c = 0; c < channels; c++) {
                data[i + c] = (float) ((data[i + c] - coefficients[c][0]) / coefficients[c][1]);
            }
        }
    }
}
