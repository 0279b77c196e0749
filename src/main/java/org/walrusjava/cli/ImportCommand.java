package org.walrusjava.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.walrusjava.importer.DatasetImporter;
import org.walrusjava.importer.ImportMapping;
import org.walrusjava.importer.MappingSuggestion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turn your own arrays (NumPy .npy/.npz, NetCDF-4 .nc, VTK ImageData .vti series) into a Well dataset root that predict, rollout, eval"
                + " and train read, as a mapping file says (see README, 'Importing your own data'); or, with"
                + " --suggest, draft that mapping from a file.")
final class ImportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--spec", paramLabel = "MAP.yaml", description = "the mapping file")
        Path mapping;

        @Option(names = "--suggest", paramLabel = "FILE", description = "print the arrays of FILE with shapes and"
                + " value ranges, the closest vocabulary names and the axes that look periodic")
        Path suggest;
    }

    @Option(names = "--out", paramLabel = "DATASET_ROOT", description = "dataset root to create (absent or empty); needed with --spec")
    Path out;

    @Option(names = "--replace", description = "replace what --out holds once the new dataset is complete")
    boolean replace;

    @Option(names = "--extended-strides", description = "accept the grid sizes of the extended stride table"
            + " (64-point 2-D, 32-point 3-D axes), which the released weights never saw")
    boolean extendedStrides;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (mode.suggest != null) {
            stdout.print(MappingSuggestion.of(mode.suggest).toText());
            stdout.flush();
            return 0;
        }
        if (out == null) throw new ParameterException(spec.commandLine(), "--spec needs --out DATASET_ROOT");
        ImportMapping mapping = ImportMapping.load(mode.mapping);
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr(), "import " + mapping.dataset(), "frames");
        DatasetImporter.Result result = DatasetImporter.run(mapping, out, replace, extendedStrides, progress::update);
        progress.finish();
        stdout.printf("wrote %s: %d trajectories of %d steps at %s (train %d, valid %d, test %d)%n", result.root(),
                result.trajectories(), result.steps(),
                Arrays.stream(result.resolution()).mapToObj(String::valueOf).collect(Collectors.joining("x")),
                result.trajectoriesBySplit().get("train").size(), result.trajectoriesBySplit().get("valid").size(),
                result.trajectoriesBySplit().get("test").size());
        stdout.flush();
        return 0;
    }
}
