package org.walrusjava.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.walrusjava.data.FieldStatistics;
import org.walrusjava.data.Stats;
import org.walrusjava.data.WellPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Compute stats.yaml statistics (mean, std, rms of values and of one-step increments, per"
                + " field and component) over a split in one streaming pass.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SPLIT_DIR", description = "a split folder (or a file, or a dataset root with --split)")
    Path path;

    @Option(names = "--split", defaultValue = "train", description = "split of a dataset root (default: train)")
    String split;

    @Option(names = "--out", paramLabel = "FILE", description = "write stats.yaml here instead of printing it")
    Path out;

    @Option(names = "--json", description = "print the statistics in full precision as JSON (stats_exact.json form)")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        List<Path> files = WellPaths.resolve(path, split);
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = new ProgressLine(err, "stats", "frames");
        FieldStatistics stats = Stats.compute(files, progress::update);
        progress.finish();
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) {
            stats.writeYaml(out);
            err.println("stats: wrote " + out);
        }
        if (json) {
            stdout.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(stats.toExactMap()));
        } else if (out == null) {
            stdout.print(stats.toYaml());
        }
        stdout.flush();
        err.flush();
        return 0;
    }
}
