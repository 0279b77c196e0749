package org.walrusjava.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.walrusjava.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `walrus` command: one subcommand per job. */
@Command(name = "walrus", mixinStandardHelpOptions = true, version = "walrus-java 0.1.0",
        description = "Walrus, the foundation model for continuum dynamics, on the JVM.")
public final class Main implements Runnable {

    /** Every subcommand, in the order `walrus --help` lists them. */
    static List<Object> subcommands() {
        return List.of(new DemoCommand(), new SimulateCommand(), new ImportCommand(), new FieldsCommand(),
                new InspectCommand(), new ExportCommand(), new StatsCommand(),
                new ConvertCommand(), new SummaryCommand(), new TraceCommand(), new PredictCommand(),
                new RolloutCommand(), new EvalCommand(), new TrainCommand(), new LaunchCommand(), new BenchCommand(),
                new DoctorCommand());
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Exit code for a problem with what the user passed (options, files, data). */
    public static final int USER_ERROR = 2;
    /** Exit code for a bug in walrus-java itself: sysexits.h's EX_SOFTWARE. */
    public static final int INTERNAL_ERROR = 70;

    /** Runs the CLI and returns its exit code; bad input becomes one line on stderr, never a stack trace. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (subcommands, one-line error handling), for callers that redirect output. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (Object sub : subcommands()) cli.addSubcommand(sub);
        // everything after the launched command's name is that command's, options included
        cli.getSubcommands().get("launch").setStopAtPositional(true);
        // picocli would print the whole usage text after an option error, burying the one line that matters.
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println("walrus: " + firstLine(ex.getMessage()) + " (see '" + name + " --help')");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // A failed read or write is the machine's doing (disk full, permissions), not a bug.
            boolean bug = !(ex instanceof UserError || ex instanceof IOException || ex instanceof UncheckedIOException);
            String msg = ex instanceof UserError ? ex.getMessage() : describe(ex);
            if (bug)
                msg = "internal error (a bug in walrus-java, not in your input): " + msg
                        + "; rerun with WALRUS_DEBUG=1 for the stack trace to report";
            cmd.getErr().println("walrus: " + msg);
            if (System.getenv("WALRUS_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return bug ? INTERNAL_ERROR : USER_ERROR;
        });
        return cli;
    }

    private static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
