package org.walrusjava.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.dist.Launcher;
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

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the walrus command and its arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!command.get(0).equals("train"))
            throw new UserError("walrus launch runs 'train' (got '" + command.get(0) + "'); other commands run in one process");
        if (nnodes > 1 && Launcher.Plan.host(master).equals("127.0.0.1"))
            throw new UserError("--nnodes " + nnodes + " needs --master ADDR:PORT with an address the other nodes reach");
        Launcher.Plan plan = new Launcher.Plan(nproc, nnodes, nodeRank, Launcher.Plan.host(master), Launcher.Plan.port(master));
        return Launcher.start(plan, command, Map.of(), System.out).waitFor(System.err);
    }
}
