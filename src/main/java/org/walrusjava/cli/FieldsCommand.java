package org.walrusjava.cli;

import java.util.concurrent.Callable;
import org.walrusjava.importer.FieldCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fields", mixinStandardHelpOptions = true,
        description = "List the 67-name Walrus field vocabulary: tensor order, what each field is physically, and"
                + " which data sets of the released model's training mix store it.")
final class FieldsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        FieldCatalog catalog = FieldCatalog.released();
        spec.commandLine().getOut().print(json ? catalog.toJson() : catalog.toTable());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
