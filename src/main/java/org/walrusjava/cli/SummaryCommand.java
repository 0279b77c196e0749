package org.walrusjava.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.model.WalrusModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `walrus summary`: the state dict a config describes, without allocating any weight. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "List every state-dict key with its shape and the parameter count of a config's model.")
public final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "extended_config.yaml")
    Path config;

    @Option(names = "--json", description = "print {\"parameters\": N, \"tensors\": {key: [shape...]}}")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WalrusModel model = new WalrusModel(ExperimentConfig.load(config).model());
        Map<String, long[]> shapes = model.shapes();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("parameters", model.parameterCount());
            doc.put("tensors", shapes);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            shapes.forEach((k, s) -> out.printf("%-70s %s%n", k, Arrays.toString(s)));
            out.printf("%,d parameters in %d tensors%n", model.parameterCount(), shapes.size());
        }
        return 0;
    }
}
