package org.walrusjava.cli;

import org.walrusjava.UserError;
import org.walrusjava.api.Jitter;
import picocli.CommandLine.Option;

/** --seed N | --no-jitter: the released model jitters its patches at inference, so seeded rolls are the default. */
final class JitterOptions {
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the patch-jitter rolls (default 0).")
    Long seed;

    @Option(names = "--no-jitter", description = "Every jitter roll 0 (deterministic; the parity tests' mode).")
    boolean noJitter;

    Jitter jitter() {
        if (noJitter && seed != null) throw new UserError("--seed and --no-jitter exclude each other");
        return noJitter ? Jitter.off() : Jitter.seeded(seed == null ? 0 : seed);
    }
}
