package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How the CLI reports what went wrong: the one line on stderr and the exit code. */
class MainTest {
    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        final RuntimeException thrown;

        Failing(RuntimeException thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() {
            throw thrown;
        }
    }

    /** Runs `walrus fail` whose command throws the given exception; returns exit code and stderr. */
    private static CliRun failing(RuntimeException thrown) {
        CommandLine cli = Main.commandLine().addSubcommand(new Failing(thrown));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("fail");
        return new CliRun(code, "", err.toString());
    }

    @Test
    void anUnknownOptionIsOneLineWithTheHelpHintNotTheUsage() {
        CliRun r = CliRun.of("demo", "--qiuck");
        assertEquals(2, r.code());
        assertEquals("walrus: Unknown option: '--qiuck' (see 'walrus demo --help')\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingRequiredOptionIsOneLine() {
        CliRun r = CliRun.of("summary");
        assertEquals(2, r.code());
        assertEquals("walrus: Missing required option: '--config=<config>' (see 'walrus summary --help')\n", r.err());
    }

    @Test
    void aBugExitsWith70AndSaysHowToGetTheTrace() {
        CliRun r = failing(new IllegalStateException("block 3 has no weights\nsecond line"));
        assertEquals(70, r.code());
        assertEquals("walrus: internal error (a bug in walrus-java, not in your input): IllegalStateException: block 3"
                + " has no weights; rerun with WALRUS_DEBUG=1 for the stack trace to report\n", r.err());
    }

    @Test
    void badInputStillExitsWith2AndItsOwnMessage() {
        CliRun r = failing(new UserError("case.json: no field 'pressure'"));
        assertEquals(2, r.code());
        assertEquals("walrus: case.json: no field 'pressure'\n", r.err());
    }
}
