package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time windows over which per-step metric curves are summarised: steps 1, 2-5, 6-12, 13-30, 31-60 (the
 * windows of The Well's benchmark tables), then 61-100, 101-200, 201-500, 501-1000 and on in a 1-2-5 series.
 * Steps count from 1 (the first predicted frame). The last window is cut at the rollout's length and labelled by
 * the steps it really covers, as upstream's `split_up_losses` does with its boundaries.
 *
 * <p>Upstream's default (`num_time_intervals`) spaces its windows by the log of each rollout's length instead; fixed
 * windows keep numbers comparable between rollouts of different lengths.
 */
public final class TimeWindows {
    private static final int[] FIRST_ENDS = {1, 5, 12, 30, 60};

    private TimeWindows() {}

    /** Steps first..last, 1-based and inclusive. */
    public record Window(int first, int last) {
        public Window {
            if (first < 1 || last < first) throw new IllegalArgumentException("bad window " + first + "-" + last);
        }

        /** "1", "2-5", ...: the key in metrics.json. */
        public String label() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }

        /** Mean of curve[first-1 .. last-1] (curve holds one value per step, step 1 at index 0). */
        public double mean(double[] curve) {
            double sum = 0;
            for (int i = first - 1; i < last; i++) sum += curve[i];
            return sum / (last - first + 1);
        }
    }

    /** The windows covering steps 1..steps. */
    public static List<Window> forSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("negative step count " + steps);
        List<Window> windows = new ArrayList<>();
        int first = 1;
        for (int i = 0; first <= steps; i++) {
            int last = Math.min(windowEnd(i), steps);
            windows.add(new Window(first, last));
            first = last + 1;
        }
        return windows;
    }

    /** Window label to the curve's mean over it, in window order. */
    public static Map<String, Double> summarise(double[] curve) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Window w : forSteps(curve.length)) out.put(w.label(), w.mean(curve));
        return out;
    }

    /** The last step of window i: the fixed ones, then 100, 200, 500, 1000, 2000, 5000, ... */
    static int windowEnd(int i) {
        if (i < FIRST_ENDS.length) return FIRST_ENDS[i];
        int k = i - FIRST_ENDS.length;
        long decade = 100;
        for (int d = 0; d < k / 3; d++) decade *= 10;
        long end = decade * new int[] {1, 2, 5}[k % 3];
        return (int) Math.min(end, Integer.MAX_VALUE);
    }
}
