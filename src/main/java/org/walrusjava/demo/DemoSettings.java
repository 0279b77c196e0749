package org.walrusjava.demo;

import java.util.List;
import org.walrusjava.sim.SimulatedSystem;
import org.walrusjava.sim.Simulators;

/**
 * How big everything in a demo run is: the simulated datasets, the small Walrus, its training and the evaluation.
 * {@link #full()} is sized for about ten minutes on two CPU cores, {@link #quick()} for about one.
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

    public static DemoSettings full() {
        return new DemoSettings(datasets(24, 12, 40), new Model(128, 32, 4, 4), new Training(600, 2, 1e-3, 4), 10, 0);
    }

    public static DemoSettings quick() {
        return new DemoSettings(datasets(10, 10, 24), new Model(64, 16, 2, 2), new Training(150, 1, 2e-3, 4), 10, 0);
    }
}
