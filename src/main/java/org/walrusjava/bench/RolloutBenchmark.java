package org.walrusjava.bench;

import java.io.PrintStream;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;

/** Autoregressive rollout throughput (steps/s) on the 2-D 128x128 benchmark input. */
public final class RolloutBenchmark {
    private RolloutBenchmark() {}

    public static double stepsPerSecond(String size, DType dtype, Device device, int steps, PrintStream log) {
        WalrusModel model = new WalrusModel(ModelSizes.byName(size));
        Initializer.initialize(model, 0, dtype, device);
        Rollout.Window start = new Rollout.Window(BenchmarkInput.window(6, 128, 1).to(device), BenchmarkInput.LABELS,
                BenchmarkInput.BCS, BenchmarkInput.VARIABLE, BenchmarkInput.REAL, null);
        Predictor predictor = new Predictor(model);
        Rollout.run(predictor, start, 1, Rolls.seeded(0), null); // warm-up
        long t0 = System.nanoTime();
        Rollout.run(predictor, start, steps, Rolls.seeded(0), (step, frame) -> {
            log.printf("  %s rollout step %d/%d%n", size, step + 1, steps);
            return true;
        });
        return steps / ((System.nanoTime() - t0) / 1e9);
    }
}
