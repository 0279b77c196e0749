package org.walrusjava.demo;

import java.util.List;
import org.walrusjava.sim.SimulatedSystem;
import org.walrusjava.sim.Simulators;

/**
 * How big everything in a demo run is: the simulated datasets, the small Walrus, its training and the evaluation.
 * On a quiet 2-core machine {@link #full()} takes 8 minutes and {@link #quick()} 80 seconds (measured 2026-12-03).
 *
 * @param datasets one per simulated system
 * @param model architecture of the small Walrus
 * @param training optimisation of it
 * @param rolloutSteps length of the evaluation rollouts (the "10-step" figure)
 * @param seed seed of the simulations, the initial weights and the training order
 */
public record DemoSettings(List<Dataset> datasets, Model model, Training training, int rolloutSteps, long seed) {
    /**
     * @param trajectories in all, divided 80/10/10 into train/valid/test
     * @param frames saved frames per trajectory
     */
    public record Dataset(SimulatedSystem system, int resolution, int trajectories, int frames) {}

    /** A Walrus of hidden width {@code hidden} with {@code blocks} processor blocks of {@code heads} heads. */
    public record Model(int hidden, int intermediate, int blocks, int heads) {}

    /**
     * @param steps optimizer steps, one micro-batch of {@code batchSize} windows each
     * @param inputFrames history frames per window
     */
    public record Training(long steps, int batchSize, double learningRate, int inputFrames) {}

    /**
     * The 2-D systems at 32 x 32 and the 3-D one at 16^3, the smallest grids the stride table takes, at the
     * systems' own frame intervals (chosen so that persistence's 1-step VRMSE lies between 0.05 and 0.5).
     */
    private static List<Dataset> datasets(int trajectories2d, int trajectories3d, int frames) {
        return List.of(
                new Dataset(Simulators.byName("navier_stokes_2d"), 32, trajectories2d, frames),
                new Dataset(Simulators.byName("acoustics_2d"), 32, trajectories2d, frames),
                new Dataset(Simulators.byName("gray_scott_2d"), 32, trajectories2d, frames),
                new Dataset(Simulators.byName("advection_diffusion_3d"), 16, trajectories3d, frames));
    }

    /*
     * Measured on 2 cores: a 3-D sample (4096 tokens a frame at 16^3) costs about ten 2-D ones, so the model stays
     * small and steps are many. Three input frames give two positions per window in the loss for 1.3x the cost of
     * two; 3e-3 reaches in 300 steps what 1e-3 reaches in 600 (Navier-Stokes alone, one-step VRMSE 0.048 vs 0.046).
     */
    public static DemoSettings full() {
        return new DemoSettings(datasets(20, 10, 32), new Model(64, 16, 2, 2), new Training(800, 1, 3e-3, 3), 10, 0);
    }

    public static DemoSettings quick() {
        return new DemoSettings(datasets(10, 8, 20), new Model(64, 16, 2, 2), new Training(120, 1, 3e-3, 3), 10, 0);
    }
}
