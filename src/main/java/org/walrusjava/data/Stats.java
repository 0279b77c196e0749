package org.walrusjava.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;

/**
 * Computes the `stats.yaml` statistics of a split in one streaming pass: each (trajectory, step) frame of every
 * field is read once, its values and its increment from the previous step of the same trajectory are folded into
 * double-precision accumulators, per tensor component. Conventions (matching `stats_exact.json`): statistics pool
 * every stored value of every trajectory of every file (missing axes tiled as the loader does); std is the
 * population deviation; rms = sqrt(mean(x^2)); increments are u[t+1] - u[t] at stride 1 within a trajectory;
 * constant fields get mean, std and rms only.
 */
public final class Stats {
    private Stats() {}

    /** Called after each frame: frames read so far and in total. */
    public interface Progress {
        void update(long done, long total);
    }

    public static FieldStatistics compute(List<Path> files, Progress progress) {
        List<WellFile> opened = new ArrayList<>();
        try {
            for (Path p : files) opened.add(WellFile.open(p));
            return computeOpen(opened, progress == null ? (d, t) -> { } : progress);
        } finally {
            opened.forEach(WellFile::close);
        }
    }

    private static FieldStatistics computeOpen(List<WellFile> files, Progress progress) {
        WellFile first = files.getFirst();
        Map<String, Accumulator> values = new LinkedHashMap<>();
        Map<String, Accumulator> deltas = new LinkedHashMap<>();
        for (FieldInfo f : first.fields()) {
            values.put(f.name(), new Accumulator(f.nChannels()));
            if (!f.isConstant()) deltas.put(f.name(), new Accumulator(f.nChannels()));
        }
        long total = 0;
        for (WellFile w : files) {
            requireSameFields(first, w);
            total += (long) w.nTrajectories() * w.nSteps();
        }
        long done = 0;
        for (WellFile w : files) {
            for (FieldInfo f : w.constantFields()) {
                int copies = f.sampleVarying() ? w.nTrajectories() : 1;
                for (int traj = 0; traj < copies; traj++) {
                    float[] field = w.readConstant(f, traj);
                    requireFinite(field, w, f, "trajectory " + traj);
                    values.get(f.name()).add(field);
                }
            }
            for (int traj = 0; traj < w.nTrajectories(); traj++) {
                Map<String, float[]> previous = new LinkedHashMap<>();
                for (int t = 0; t < w.nSteps(); t++) {
                    for (FieldInfo f : w.variableFields()) {
                        float[] frame = w.readFrames(f, traj, t, 1, 1);
                        requireFinite(frame, w, f, "trajectory " + traj + ", step " + t);
                        values.get(f.name()).add(frame);
                        float[] before = previous.put(f.name(), frame);
                        if (before != null) deltas.get(f.name()).addDifference(frame, before);
                    }
                    progress.update(++done, total);
                }
            }
        }
        Map<String, FieldStatistics.Entry> entries = new LinkedHashMap<>();
        for (FieldInfo f : first.fields()) {
            Accumulator v = values.get(f.name());
            Accumulator d = deltas.get(f.name());
            entries.put(f.name(), new FieldStatistics.Entry(f.rank(), first.nSpatialDims(), v.mean(), v.std(), v.rms(),
                    d == null ? null : d.mean(), d == null ? null : d.std(), d == null ? null : d.rms()));
        }
        return new FieldStatistics(entries);
    }

    /** One NaN would turn every statistic of the field into NaN: report where it is instead. */
    private static void requireFinite(float[] values, WellFile w, FieldInfo f, String where) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new UserError(w.path() + ": field '" + f.name() + "' has " + (Float.isNaN(values[i]) ? "NaN" : "Inf")
                        + " in channel " + f.channels().get(i % f.nChannels()) + " at " + where);
            }
        }
    }

    private static void requireSameFields(WellFile first, WellFile other) {
        if (!first.variableChannels().equals(other.variableChannels())
                || !first.constantChannels().equals(other.constantChannels())) {
            throw new UserError(other.path() + ": fields " + other.variableChannels() + " / " + other.constantChannels()
                    + " differ from " + first.path().getFileName() + "'s " + first.variableChannels() + " / "
                    + first.constantChannels());
        }
    }

    /**
     * Per-channel sums for mean, variance and mean square. Values are shifted by the channel's first value
     * before squaring so the variance does not cancel catastrophically when |mean| >> std; each frame is summed
     * on its own before being added, which keeps long sums accurate.
     */
    private static final class Accumulator {
        private final int channels;
        private final double[] shift;
        private final double[] sum;
        private final double[] sumSquaresShifted;
        private final double[] sumSquares;
        private long count;

        Accumulator(int channels) {
            this.channels = channels;
            shift = new double[channels];
            sum = new double[channels];
            sumSquaresShifted = new double[channels];
            sumSquares = new double[channels];
        }

        void add(float[] frame) {
            fold(frame, null);
        }

        void addDifference(float[] frame, float[] before) {
            fold(frame, before);
        }

        private void fold(float[] frame, float[] minus) {
            if (count == 0) {
                for (int c = 0; c < channels; c++) shift[c] = value(frame, minus, c);
            }
            double[] s = new double[channels];
            double[] s2 = new double[channels];
            double[] q = new double[channels];
            for (int i = 0; i < frame.length; i += channels) {
                for (int c = 0; c < channels; c++) {
                    double x = value(frame, minus, i + c);
                    double y = x - shift[c];
                    s[c] += y;
                    s2[c] += y * y;
                    q[c] += x * x;
                }
            }
            for (int c = 0; c < channels; c++) {
                sum[c] += s[c];
                sumSquaresShifted[c] += s2[c];
                sumSquares[c] += q[c];
            }
            count += frame.length / channels;
        }

        private static double value(float[] frame, float[] minus, int i) {
            return minus == null ? frame[i] : (double) frame[i] - minus[i];
        }

        double[] mean() {
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) out[c] = shift[c] + sum[c] / count;
            return out;
        }

        double[] std() {
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                double variance = (sumSquaresShifted[c] - sum[c] * sum[c] / count) / count;
                out[c] = Math.sqrt(Math.max(variance, 0));
            }
            return out;
        }

        double[] rms() {
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) out[c] = Math.sqrt(sumSquares[c] / count);
            return out;
        }
    }
}
