package org.walrusjava.sim;

import java.util.List;
import org.walrusjava.UserError;

/** How trajectories are divided between the train, valid and test splits (fractions summing to 1). */
public record SplitFractions(double train, double valid, double test) {
    public static final List<String> SPLITS = List.of("train", "valid", "test");

    public SplitFractions {
        if (!(train > 0 && valid > 0 && test > 0) || Math.abs(train + valid + test - 1) > 1e-6)
            throw new UserError("--splits: three positive fractions summing to 1 are needed (train, valid, test), got "
                    + train + ", " + valid + ", " + test);
    }

    public static SplitFractions defaults() {
        return new SplitFractions(0.8, 0.1, 0.1);
    }

    /** Parses "0.8,0.1,0.1". */
    public static SplitFractions parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) throw new UserError("--splits: expected three fractions like 0.8,0.1,0.1, got '" + text + "'");
        double[] f = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError("--splits: '" + parts[i].trim() + "' is not a number");
            }
        }
        return new SplitFractions(f[0], f[1], f[2]);
    }

    /**
     * Trajectories per split for {@code n} in all: valid and test get their rounded share but at least one each,
     * train the rest (at least one), so every split exists. Needs n >= 3.
     */
    public int[] counts(int n) {
        if (n < 3) throw new UserError("--trajectories: at least 3 are needed (one per split), got " + n);
        int valid = Math.max(1, (int) Math.round(n * this.valid));
        int test = Math.max(1, (int) Math.round(n * this.test));
        int trainCount = n - valid - test;
        if (trainCount < 1) {
            // tiny n with large held-out fractions: give train one trajectory from the larger held-out split
            if (valid >= test) valid--;
            else test--;
            trainCount = 1;
        }
        return new int[] {trainCount, valid, test};
    }
}
