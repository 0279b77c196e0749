package org.walrusjava.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.demo.Demo;
import org.walrusjava.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `walrus demo`: the whole system end to end on built-in simulated physics. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate Navier-Stokes, acoustics, Gray-Scott and 3-D advection-diffusion data, train a small"
                + " Walrus on it (or take --checkpoint/--config zero-shot), roll it out on held-out trajectories"
                + " against persistence, and write the report (index.html, GIFs, plots, metrics.json).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "walrus-demo", description = "report folder (default ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quick", description = "smaller data and shorter training (about 1 minute on 2 cores instead of 7)")
    boolean quick;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the simulations, the initial weights and the"
            + " training order (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "CKPT", description = "evaluate these weights zero-shot instead of training")
    Path checkpoint;

    @Option(names = "--config", paramLabel = "CFG", description = "the config of --checkpoint")
    Path config;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        if ((checkpoint == null) != (config == null))
            throw new UserError("--checkpoint and --config go together");
        DemoSettings settings = (quick ? DemoSettings.quick() : DemoSettings.full()).withSeed(seed)
                .withDevice(device.parse());
        long t0 = System.nanoTime();
        Demo.Result r = checkpoint == null ? Demo.run(settings, out, System.out)
                : Demo.runZeroShot(settings, checkpoint, config, out, System.out);
        System.out.printf("done in %.0f s: open %s (numbers in %s)%n", (System.nanoTime() - t0) / 1e9,
                r.index().toAbsolutePath(), r.metrics().toAbsolutePath());
        return 0;
    }
}
