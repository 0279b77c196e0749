package org.walrusjava.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `walrus convert IN OUT`: re-save a checkpoint as PyTorch (.pt) or safetensors, by OUT's extension. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a checkpoint between PyTorch (.pt, saved in the released {\"app\": {\"model\": ...}}"
                + " layout) and safetensors (.safetensors). The input format is detected from its content.")
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "checkpoint to read (.pt or .safetensors)")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "file to write; its extension picks the format")
    Path out;

    @Option(names = "--list", description = "print every tensor's name, dtype and shape")
    boolean list;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        Map<String, Tensor> tensors = Checkpoints.load(in);
        long bytes = tensors.values().stream().mapToLong(t -> t.numel() * t.dtype().bytes).sum();
        stdout.printf("read %s: %d tensors, %,d bytes of weights%n", in, tensors.size(), bytes);
        if (list) tensors.forEach((k, t) -> stdout.printf("  %s %s %s%n", k, t.dtype(), Arrays.toString(t.shape())));
        stdout.flush();
        Checkpoints.save(out, tensors);
        double seconds = (System.nanoTime() - start) / 1e9;
        stdout.printf("wrote %s (%s): %d tensors, %,d bytes in %.1f s (%.0f MB/s)%n", out, Checkpoints.Format.ofName(out),
                tensors.size(), Files.size(out), seconds, bytes / 1e6 / Math.max(seconds, 1e-9));
        return 0;
    }
}
