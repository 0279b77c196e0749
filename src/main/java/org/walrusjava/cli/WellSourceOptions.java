package org.walrusjava.cli;

import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** Which part of a Well dataset the commands that read one (predict, rollout, eval) take, and how many frames. */
final class WellSourceOptions {
    @Option(names = "--split", defaultValue = "test",
            description = "split of a dataset root (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--history", paramLabel = "T_in",
            description = "frames in the window (default 6 in 2-D, 3 in 3-D).")
    Integer history;

    @Option(names = "--dataset-name", paramLabel = "NAME",
            description = "the dataset whose options (field transforms) the config holds; default: the file's.")
    String datasetName;

    OptionalInt historyFrames() {
        return history == null ? OptionalInt.empty() : OptionalInt.of(history);
    }

    Optional<String> dataset() {
        return Optional.ofNullable(datasetName);
    }
}
