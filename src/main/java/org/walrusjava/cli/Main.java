package org.walrusjava.cli;

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
        return List.of(new DemoCommand(), new SimulateCommand(), new InspectCommand(), new ExportCommand(), new StatsCommand(),
                new ConvertCommand(), new SummaryCommand(), new TraceCommand(), new PredictCommand(),
                new RolloutCommand(), new EvalCommand(), new TrainCommand(), new BenchCommand(), new DoctorCommand());
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; bad input becomes one line on stderr, never a stack trace. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (subcommands, one-line error handling), for callers that redirect output. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (Object sub : subcommands()) cli.addSubcommand(sub);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String msg = ex instanceof UserError ? ex.getMessage() : describe(ex);
            cmd.getErr().println("walrus: " + msg);
            if (System.getenv("WALRUS_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cli;
    }

    private static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
