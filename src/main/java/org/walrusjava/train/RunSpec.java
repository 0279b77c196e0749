package org.walrusjava.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;

/**
 * What a training run was asked to do, saved as DIR/run.json (next to a copy of the config, DIR/config.yaml) so
 * that {@code walrus train --resume DIR} rebuilds exactly the same run.
 *
 * @param config the experiment config (inside DIR once the run has started)
 * @param overrides key=value overrides applied to it
 * @param data training data paths; empty to use the config's dataset list
 * @param init checkpoint to start from (.pt or .safetensors), or null for fresh weights
 * @param upstreamFieldAlignment scale copied encoder columns by sqrt(old/new) as upstream does, instead of the
 *     exact rule
 * @param device "cpu", "cuda", "cuda:N"
 * @param options the resolved training options
 */
public record RunSpec(Path config, List<String> overrides, List<Path> data, Path init, boolean upstreamFieldAlignment,
        String device, TrainingOptions options) {
    static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunSpec {
        overrides = List.copyOf(overrides);
        data = List.copyOf(data);
    }

    public void write(Path dir) {
        try {
            AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new UserError(dir.resolve(FILE) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    public static RunSpec read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new UserError(dir + ": not a training run folder (no " + FILE + ")");
        try {
            return JSON.readValue(file.toFile(), RunSpec.class);
        } catch (IOException e) {
            throw new UserError(file + ": unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    public RunSpec withOptions(TrainingOptions o) {
        return new RunSpec(config, overrides, data, init, upstreamFieldAlignment, device, o);
    }

    public RunSpec withConfig(Path c) {
        return new RunSpec(c, overrides, data, init, upstreamFieldAlignment, device, options);
    }
}
