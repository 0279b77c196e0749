package org.walrusjava.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.data.ArrayFileWriter;
import org.walrusjava.data.WellExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write steps [A, B) of one trajectory as float32 arrays named by channel (as stored: no 3-D"
                + " inflation, no transforms): variable channels (B-A, H, W[, D]), constant channels (H, W[, D]).")
final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "a Well .hdf5 file")
    Path file;

    @Option(names = "--trajectory", required = true, paramLabel = "I", description = "trajectory index in the file")
    int trajectory;

    @Option(names = "--steps", required = true, paramLabel = "A:B", description = "half-open step range")
    String steps;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "output file")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "safetensors or npz (default: from the --out extension, else safetensors)")
    String format;

    @Override
    public Integer call() {
        String[] range = steps.split(":", -1);
        int a;
        int b;
        try {
            if (range.length != 2) throw new NumberFormatException();
            a = Integer.parseInt(range[0].trim());
            b = Integer.parseInt(range[1].trim());
        } catch (NumberFormatException e) {
            throw new UserError("--steps " + steps + ": expected A:B, e.g. 0:10");
        }
        ArrayFileWriter.Format fmt = format != null ? ArrayFileWriter.Format.parse(format)
                : out.getFileName().toString().endsWith(".npz") ? ArrayFileWriter.Format.NPZ
                : ArrayFileWriter.Format.SAFETENSORS;
        List<ArrayFileWriter.NamedArray> arrays = WellExport.export(file, trajectory, a, b, out, fmt);
        long values = arrays.stream().mapToLong(x -> x.data().length).sum();
        spec.commandLine().getOut().printf("wrote %d arrays (%s) to %s: %.1f MB float32%n", arrays.size(),
                String.join(", ", arrays.stream().map(ArrayFileWriter.NamedArray::name).toList()), out,
                values * 4 / 1e6);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
