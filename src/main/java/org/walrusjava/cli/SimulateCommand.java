package org.walrusjava.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.walrusjava.sim.SimulatedDataset;
import org.walrusjava.sim.SimulatedSystem;
import org.walrusjava.sim.Simulators;
import org.walrusjava.sim.SplitFractions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a built-in physical system and write a Well-format dataset (train/valid/test"
                + " splits of one-trajectory HDF5 files, NAME.yaml and stats.yaml).")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SYSTEM", description = "navier_stokes_2d, acoustics_2d, acoustics_2d_closed,"
            + " gray_scott_2d or advection_diffusion_3d")
    String system;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "dataset root to create (absent or empty)")
    Path out;

    @Option(names = "--trajectories", defaultValue = "20", paramLabel = "N",
            description = "trajectories in all, divided by --splits (default: 20)")
    int trajectories;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "T",
            description = "saved frames per trajectory (default: 50)")
    int steps;

    @Option(names = "--resolution", paramLabel = "R",
            description = "points per axis: 2-D 32, 128, 256, ...; 3-D 16, 64, 128, ... (default: the system's)")
    Integer resolution;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the whole dataset (default: 0)")
    long seed;

    @Option(names = "--splits", defaultValue = "0.8,0.1,0.1", paramLabel = "TRAIN,VALID,TEST",
            description = "fractions of trajectories per split (default: 0.8,0.1,0.1; at least one each)")
    String splits;

    @Override
    public Integer call() {
        SimulatedSystem simulated = Simulators.byName(system);
        int n = resolution == null ? simulated.defaultResolution() : resolution;
        SimulatedDataset.Request request = new SimulatedDataset.Request(simulated, trajectories, steps, n, seed,
                SplitFractions.parse(splits));
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = new ProgressLine(err, "simulate " + system, "frames");
        SimulatedDataset.Result result = SimulatedDataset.write(request, out, false, progress::update);
        progress.finish();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s: %d trajectories of %d frames at %s (train %d, valid %d, test %d)%n", result.root(),
                trajectories, steps, grid(simulated, n), result.files().get("train").size(),
                result.files().get("valid").size(), result.files().get("test").size());
        stdout.printf(Locale.ROOT, "persistence 1-step VRMSE (mean over trajectories): train %.3f, valid %.3f, test %.3f%n",
                result.persistenceOneStep().get("train"), result.persistenceOneStep().get("valid"),
                result.persistenceOneStep().get("test"));
        stdout.flush();
        return 0;
    }

    private static String grid(SimulatedSystem system, int n) {
        return String.join("x", java.util.Collections.nCopies(system.nSpatialDims(), String.valueOf(n)));
    }
}
