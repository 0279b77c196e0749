package org.walrusjava.data;

import java.util.Random;

/**
 * How samples are cut from trajectories: {@code nInput} input frames followed by {@code nOutput} output frames,
 * consecutive frames {@code stride} steps apart, the stride drawn uniformly from [minStride, maxStride] but never
 * so large that the window leaves the trajectory (the_well `datasets.py`). Evaluation fixes the stride
 * (min == max). Full-trajectory mode takes one window per trajectory from step 0: {@code nInput} inputs and as
 * many outputs as the shortest trajectory allows, at most {@code maxRolloutSteps}.
 */
public record WindowSpec(int nInput, int nOutput, int minStride, int maxStride, boolean fullTrajectory,
                         int maxRolloutSteps) {

    public WindowSpec {
        if (nInput < 1 || (!fullTrajectory && nOutput < 1)) {
            throw new IllegalArgumentException("windows need at least one input and one output step");
        }
        if (minStride < 1 || maxStride < minStride) {
            throw new IllegalArgumentException("stride range [" + minStride + ", " + maxStride + "] is empty");
        }
    }

    /** Training windows with a random stride per window. */
    public static WindowSpec training(int nInput, int nOutput, int minStride, int maxStride) {
        return new WindowSpec(nInput, nOutput, minStride, maxStride, false, Integer.MAX_VALUE);
    }

    /** Windows with a fixed stride (validation, testing). */
    public static WindowSpec evaluation(int nInput, int nOutput, int stride) {
        return new WindowSpec(nInput, nOutput, stride, stride, false, Integer.MAX_VALUE);
    }

    /** One window per trajectory holding the whole trajectory (rollouts): outputs fill what the inputs leave. */
    public static WindowSpec fullTrajectory(int nInput, int stride, int maxRolloutSteps) {
        return new WindowSpec(nInput, 0, stride, stride, true, maxRolloutSteps);
    }

    /** Windows of n_in + n_out frames at this stride that fit in a trajectory: T - (1 + stride (n_in + n_out - 1)) + 1. */
    public static int windowsPerTrajectory(int steps, int nInput, int nOutput, int stride) {
        return Math.max(0, steps - (1 + stride * (nInput + nOutput - 1)) + 1);
    }

    /** Window start positions per trajectory of {@code steps} steps (counted at the minimum stride). */
    public int windowsPerTrajectory(int steps) {
        return fullTrajectory ? 1 : windowsPerTrajectory(steps, nInput, nOutput, minStride);
    }

    /** Output frames of a full-trajectory window when the shortest trajectory has {@code shortestSteps} steps. */
    public int fullTrajectoryOutputs(int shortestSteps) {
        return Math.min((shortestSteps - nInput * minStride) / minStride, maxRolloutSteps);
    }

    /** Draws the stride of a window starting at {@code tStart}: uniform over the allowed strides that still fit. */
    public int drawStride(int tStart, int steps, int nOutputFrames, Random rng) {
        if (maxStride == minStride) return minStride;
        int fitting = (steps - tStart - 1) / (nInput + nOutputFrames - 1);
        int hi = Math.min(maxStride, fitting);
        return hi <= minStride ? minStride : minStride + rng.nextInt(hi - minStride + 1);
    }
}
