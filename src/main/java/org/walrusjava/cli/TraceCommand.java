package org.walrusjava.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.api.Walrus;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `walrus trace`: one forward pass on the user's own window, writing every intermediate for debugging. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Run one forward pass and write its intermediates (sample_rms, delta_rms, normalized_input,"
                + " encoder_input_padded, encoder_output, block0_output, model_output, pred_next_frame)."
                + " Rolls recorded in the case are replayed; without them every roll is 0.")
public final class TraceCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions model;

    @Option(names = "--case", required = true, description = "case JSON (schema of the fixtures' cases.json)")
    Path caseFile;

    @Option(names = "--input", required = true, description = "safetensors holding raw_input (T, B, C, H, W, D)")
    Path input;

    @Option(names = "--out", required = true, description = "safetensors file to write")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CaseInput in = CaseInput.read(input, caseFile);
        try (Walrus walrus = model.load()) {
            in.checkFieldNames(walrus);
            Map<String, Tensor> trace = walrus.trace(in.raw(), in.spec(), in.spec().recordedRolls());
            SafeTensors.write(out, trace);
            PrintWriter o = spec.commandLine().getOut();
            trace.forEach((k, t) -> o.printf("  %-22s %s%n", k, Arrays.toString(t.shape())));
            o.printf("wrote %s%n", out);
            return 0;
        }
    }
}
