package org.walrusjava.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.dist.Launcher;
import org.walrusjava.train.TrainingCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `walrus launch`: runs a walrus command as N data-parallel ranks on this machine, like torchrun. */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Run a walrus command (train) as data-parallel ranks over Gloo, like torchrun: N child processes "
                + "on this node, their output prefixed with [rank R]. With several nodes, run one launch per node with "
                + "the same --nnodes and --master and its own --node-rank. Under Slurm, `srun bin/walrus train ...` "
                + "needs no launch.",
                "  walrus launch --nproc 2 train --config CFG --data D --steps N --out DIR",
                "  walrus launch --nproc 4 --nnodes 2 --node-rank 0 --master node0:29500 train ...",
                "Timeouts: WALRUS_DIST_RENDEZVOUS_TIMEOUT (s, default 300) for all ranks to meet, WALRUS_DIST_TIMEOUT "
                        + "(s, default 1800) for one exchange; a rank that dies stops the others at their next "
                        + "exchange, and the launch then exits with its code."})
public final class LaunchCommand implements Callable<Integer> {
    @Option(names = "--nproc", paramLabel = "N", required = true, description = "ranks on this node")
    int nproc;

    @Option(names = "--nnodes", paramLabel = "M", defaultValue = "1", description = "nodes (default 1)")
    int nnodes;

    @Option(names = "--node-rank", paramLabel = "R", defaultValue = "0", description = "this node's index (default 0)")
    int nodeRank;

    @Option(names = "--master", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:29500",
            description = "where rank 0 serves the rendezvous (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--max-restarts", paramLabel = "K", defaultValue = "0", description = "when a rank fails, stop "
            + "all and start them again from the run's latest checkpoint (walrus train --resume), up to K times "
            + "(default 0; one node only)")
    int maxRestarts;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the walrus command and its arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!command.get(0).equals("train"))
            throw new UserError("walrus launch runs 'train' (got '" + command.get(0) + "'); other commands run in one process");
        if (nnodes > 1 && Launcher.Plan.host(master).equals("127.0.0.1"))
            throw new UserError("--nnodes " + nnodes + " needs --master ADDR:PORT with an address the other nodes reach");
        if (maxRestarts < 0) throw new UserError("--max-restarts is " + maxRestarts + "; it must be 0 or more");
        if (maxRestarts > 0 && nnodes > 1)
            throw new UserError("--max-restarts restarts this node's ranks only, not the other nodes'; with --nnodes "
                    + nnodes + " start every node's launch again with train --resume DIR");
        Launcher.Plan plan = new Launcher.Plan(nproc, nnodes, nodeRank, Launcher.Plan.host(master), Launcher.Plan.port(master));
        return supervise(plan, command, maxRestarts, System.out, System.err);
    }

    /**
     * Runs the ranks and, each time one fails, all of them again from the run's latest checkpoint, up to
     * {@code maxRestarts} times; returns the last attempt's exit code.
     */
    static int supervise(Launcher.Plan plan, List<String> command, int maxRestarts, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        List<String> args = command;
        for (int restart = 1; ; restart++) {
            int code = Launcher.start(plan, args, Map.of(), out).waitFor(err);
            if (code == 0 || restart > maxRestarts) return code;
            args = resumed(command);
            if (args == null) {
                err.println("walrus launch: no checkpoint of the run yet, so no restart");
                return code;
            }
            err.printf("walrus launch: restart %d of %d: walrus %s%n", restart, maxRestarts, String.join(" ", args));
        }
    }

    /** `train --resume DIR` with the command's step options, or null when the run has no checkpoint to resume. */
    private static List<String> resumed(List<String> command) {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(command.subList(1, command.size()).toArray(String[]::new));
        Path dir = train.resume != null ? train.resume : train.out;
        if (dir == null || TrainingCheckpoint.resolve(dir.resolve("checkpoints"), TrainingCheckpoint.LATEST).isEmpty())
            return null;
        List<String> args = new ArrayList<>(List.of("train", "--resume", dir.toString()));
        if (train.steps != null) args.addAll(List.of("--steps", train.steps.toString()));
        if (train.stopAt != null) args.addAll(List.of("--stop-at", train.stopAt.toString()));
        if (train.export != null) args.addAll(List.of("--export", train.export.toString()));
        return args;
    }
}
