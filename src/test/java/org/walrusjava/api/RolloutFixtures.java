package org.walrusjava.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.walrusjava.data.WellFile;

/**
 * The tiny checkpoint with configs that let it read the Well fixtures. periodic2d has a constant field
 * `diffusivity` that the released vocabulary lacks; these configs give it the unused embedding index 9 (released
 * name `concentration`), as a user would map a field of their own data. The weights are random anyway.
 */
public final class RolloutFixtures {
    public static final Path FIXTURES = Path.of(System.getProperty("walrus.fixtures", "../shared/fixtures"));
    public static final Path CHECKPOINT = FIXTURES.resolve("walrus-tiny/walrus.pt");
    public static final Path TINY_CONFIG = FIXTURES.resolve("walrus-tiny/extended_config.yaml");
    public static final Path PERIODIC = FIXTURES.resolve("well/datasets/periodic2d");
    public static final Path PERIODIC_TRAIN = PERIODIC.resolve("data/train");
    public static final Path PERIODIC_VALID_FILE = PERIODIC.resolve("data/valid/periodic2d_valid_00.hdf5");
    /** Index of diffusivity in the configs below. */
    public static final int DIFFUSIVITY_INDEX = 9;

    private RolloutFixtures() {}

    /** The tiny config with `diffusivity` in the vocabulary. */
    public static Path config(Path dir) {
        return write(dir.resolve("tiny-diffusivity.yaml"), "");
    }

    /** The same, with periodic2d's density read through torch.log10 (the model sees log10_density). */
    public static Path log10Config(Path dir) {
        return write(dir.resolve("tiny-log10.yaml"), """
                    well_dataset_info:
                      periodic2d:
                        field_transforms:
                          density: torch.log10
                """);
    }

    /** The tiny config with tensor3d's constant field mapped too. */
    public static Path config3d(Path dir) {
        try {
            String text = Files.readString(TINY_CONFIG).replace("    C_zz: 66\n", "    temperature_background: 66\n");
            return Files.writeString(dir.resolve("tiny-3d.yaml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String moduleParameters) {
        try {
            String text = Files.readString(TINY_CONFIG).replace("    concentration: 9\n", "    diffusivity: 9\n");
            if (!text.contains("diffusivity: 9")) throw new IllegalStateException("tiny config changed");
            return Files.writeString(file, text + moduleParameters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The periodic2d training file that holds global trajectory 0 and 1. */
    public static Path periodicTrainFile(int index) {
        return PERIODIC_TRAIN.resolve("periodic2d_train_0" + index + ".hdf5");
    }

    /** Channel c of frame `step` of one trajectory, as stored (no transform), row-major over the grid. */
    public static float[] storedChannel(Path file, int trajectory, int step, String field, int component) {
        try (WellFile w = WellFile.open(file)) {
            var info = w.field(field);
            float[] frame = info.isConstant() ? w.readConstant(info, trajectory) : w.readFrames(info, trajectory, step, 1, 1);
            int n = info.nChannels();
            float[] out = new float[frame.length / n];
            for (int p = 0; p < out.length; p++) out[p] = frame[p * n + component];
            return out;
        }
    }

    /** The Well's VRMSE written out once more, independently of rollout.Metrics: unbiased variance, eps 1e-7. */
    public static double vrmse(float[] pred, float[] truth) {
        double mean = 0;
        for (float v : truth) mean += v;
        mean /= truth.length;
        double var = 0, mse = 0;
        for (int i = 0; i < truth.length; i++) {
            var += (truth[i] - mean) * (truth[i] - mean);
            mse += (pred[i] - truth[i]) * (double) (pred[i] - truth[i]);
        }
        return Math.sqrt((mse / truth.length) / (var / (truth.length - 1) + 1e-7));
    }
}
