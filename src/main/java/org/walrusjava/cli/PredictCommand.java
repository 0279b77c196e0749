package org.walrusjava.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.api.Walrus;
import org.walrusjava.api.WellWindow;
import org.walrusjava.api.WellWindows;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the next frame of a window, given as a tensor with its case (--input, --case) or as"
                + " frames T0, T0+S, ... of a trajectory of Well data (--data). Writes pred_next_frame"
                + " (1, B, C_var, H, W, D) in the case's variable-channel order (for --data: the model's channels,"
                + " field transforms applied).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckpointOptions model;

    @Mixin
    JitterOptions jitter;

    @Mixin
    WellSourceOptions source;

    @Option(names = "--input", paramLabel = "IN",
            description = "safetensors file holding raw_input (T, B, C, H, W, D).")
    Path input;

    @Option(names = "--case", paramLabel = "CASE", description = "case JSON (the schema of walrus trace) for --input.")
    Path caseFile;

    @Option(names = "--data", paramLabel = "WELL", description = "a Well .hdf5 file, split folder or dataset root.")
    Path data;

    @Option(names = "--trajectory", paramLabel = "I", description = "trajectory index (over the split's files).")
    Integer trajectory;

    @Option(names = "--start", paramLabel = "T0", description = "first step of the window.")
    Integer start;

    @Option(names = "--stride", paramLabel = "S", defaultValue = "1", description = "steps between frames (default 1).")
    int stride;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "safetensors file to write.")
    Path out;

    @Override
    public Integer call() {
        if ((input == null) == (data == null)) {
            throw new UserError("give either --input IN.safetensors with --case CASE.json, or --data WELL with"
                    + " --trajectory and --start");
        }
        CaseInput in = input != null ? CaseInput.read(input, caseFile) : null;
        if (in == null && (trajectory == null || start == null))
            throw new UserError("--data needs --trajectory and --start");
        Tensor next;
        List<String> fields;
        Map<String, String> metadata = new LinkedHashMap<>();
        try (Walrus walrus = model.load()) {
            if (in != null) {
                in.checkFieldNames(walrus);
                next = walrus.predict(in.raw(), in.spec(), jitter.jitter().rolls(0, in.spec()));
                fields = in.spec().variableFields();
            } else {
                WellWindow w = WellWindows.read(walrus.config(), new WellWindows.Request(data, source.split, trajectory,
                        start, source.historyFrames(), stride, source.dataset()), WellWindows.Truth.atMost(0));
                next = walrus.predict(w, jitter.jitter().rolls(0, w.caseSpec()));
                fields = w.caseSpec().variableFields();
                metadata.put("source", w.source().file().toString());
                metadata.put("trajectory", Integer.toString(w.source().trajectoryInFile()));
                metadata.put("steps", Arrays.toString(w.source().steps()));
            }
        }
        metadata.put("variable_fields", String.join(",", fields));
        SafeTensors.write(out, Map.of("pred_next_frame", next), metadata);
        spec.commandLine().getOut().printf("wrote pred_next_frame %s (%s) to %s%n", Arrays.toString(next.shape()),
                String.join(", ", fields), out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
