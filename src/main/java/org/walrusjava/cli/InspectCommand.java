package org.walrusjava.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.data.DatasetSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a Well file or dataset folder: fields and channels, grid, boundary conditions,"
                + " trajectories, steps, dt, simulation parameters.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "an .hdf5 file, a split folder, or a dataset root with data/")
    Path path;

    @Option(names = "--split", description = "only this split of a dataset root (default: all splits)")
    String split;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, Object> summary = DatasetSummary.of(path, split);
        String text = json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary)
                : DatasetSummary.toText(summary);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
