package org.walrusjava.rollout;

/**
 * Cell-wise statistics over the members of an ensemble for one field: members[k] is member k's field. The spread
 * uses the unbiased (K - 1) variance across members, like every variance in The Well's metrics.
 */
public final class EnsembleStats {
    private EnsembleStats() {}

    /** The ensemble mean and the cell-wise spread of every channel at one step (padded channels left null). */
    public record Frame(float[][] mean, float[][] spread) {}

    public static float[] mean(float[][] members) {
        int cells = checkMembers(members, 1);
        float[] out = new float[cells];
        for (int i = 0; i < cells; i++) out[i] = (float) memberMean(members, i);
        return out;
    }

    /** Standard deviation across members in each cell. */
    public static float[] spread(float[][] members) {
        double[] var = variance(members);
        float[] out = new float[var.length];
        for (int i = 0; i < var.length; i++) out[i] = (float) Math.sqrt(var[i]);
        return out;
    }

    /** sqrt(mean over cells of the member variance): on the scale of the ensemble mean's RMSE. */
    public static double spreadScalar(float[][] members) {
        double[] var = variance(members);
        double sum = 0;
        for (double v : var) sum += v;
        return Math.sqrt(sum / var.length);
    }

    /** Unbiased variance across members in each cell. */
    public static double[] variance(float[][] members) {
        int cells = checkMembers(members, 2);
        int k = members.length;
        double[] out = new double[cells];
        for (int i = 0; i < cells; i++) {
            double mean = memberMean(members, i);
            double sq = 0;
            for (float[] m : members) sq += (m[i] - mean) * (m[i] - mean);
            out[i] = sq / (k - 1);
        }
        return out;
    }

    private static double memberMean(float[][] members, int cell) {
        double sum = 0;
        for (float[] m : members) sum += m[cell];
        return sum / members.length;
    }

    private static int checkMembers(float[][] members, int atLeast) {
        if (members.length < atLeast) {
            throw new IllegalArgumentException("an ensemble needs at least " + atLeast + " members, got " + members.length);
        }
        int cells = members[0].length;
        for (float[] m : members) {
            if (m.length != cells) throw new IllegalArgumentException("ensemble members differ in size");
        }
        return cells;
    }
}
