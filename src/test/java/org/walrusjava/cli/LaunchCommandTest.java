package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.dist.Launcher;
import org.walrusjava.train.AdvectionData;

/** The launcher's refusals, each one line before any rank starts, and its restarts. */
class LaunchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun r = CliRun.of("launch", "--nproc", "2", "--master", "127.0.0.1:" + port, "train", "--config", "x.yaml");
            assertEquals(2, r.code());
            assertTrue(r.err().startsWith("walrus: port " + port + " on 127.0.0.1 is in use or cannot be bound ("), r.err());
            assertTrue(r.err().endsWith("); choose another with --master ADDR:PORT\n"), r.err());
            assertEquals(1, r.err().lines().count());
        }
    }

    @Test
    void onlyTrainIsLaunchedAndNodesNeedAReachableMaster() {
        CliRun other = CliRun.of("launch", "--nproc", "2", "rollout", "--steps", "3");
        assertEquals(2, other.code());
        assertEquals("walrus: walrus launch runs 'train' (got 'rollout'); other commands run in one process\n", other.err());
        CliRun nodes = CliRun.of("launch", "--nproc", "2", "--nnodes", "2", "--node-rank", "1", "train");
        assertEquals("walrus: --nnodes 2 needs --master ADDR:PORT with an address the other nodes reach\n", nodes.err());
        CliRun rank = CliRun.of("launch", "--nproc", "2", "--nnodes", "2", "--node-rank", "2", "--master", "n0:1", "train");
        assertEquals("walrus: --node-rank 2 is outside 0..1\n", rank.err());
        CliRun restarts = CliRun.of("launch", "--nproc", "2", "--nnodes", "2", "--master", "n0:1", "--max-restarts", "1",
                "train");
        assertEquals("walrus: --max-restarts restarts this node's ranks only, not the other nodes'; with --nnodes 2 "
                + "start every node's launch again with train --resume DIR\n", restarts.err());
    }

    @Test
    void aRankThatDiesRestartsAllRanksFromTheLatestCheckpoint() throws Exception {
        Path data = AdvectionData.write(tmp.resolve("advection"), "tracer", 2, 1, 8), dir = tmp.resolve("run");
        Path config = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny", "extended_config.yaml");
        List<String> train = List.of("train", "--config", config.toString(), "--data", data.toString(), "--steps", "12",
                "--batch-size", "1", "--grad-acc", "2", "--seed", "3", "--validate-every", "0", "--save-every", "2",
                "--out", dir.toString(), "data.module_parameters.n_steps_input=3");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Launcher.Plan plan = new Launcher.Plan(2, 1, 0, "127.0.0.1", port);
        FutureTask<Integer> launch = new FutureTask<>(() -> LaunchCommand.supervise(plan, train, 1,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        new Thread(launch).start();
        Path latest = dir.resolve("checkpoints/latest");
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (!Files.exists(latest) && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(Files.exists(latest), out.toString(StandardCharsets.UTF_8));
        // the ranks are this JVM's only children: kill one, as a crash or the out-of-memory killer would
        ProcessHandle.current().children().findFirst().orElseThrow().destroyForcibly();
        int code = launch.get(6, TimeUnit.MINUTES);
        String said = err.toString(StandardCharsets.UTF_8), printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(said);
        assertEquals(0, code, said + printed);
        assertTrue(said.contains("(killed by signal 9); the other ranks have stopped\nwalrus launch: restart 1 of 1: walrus "
                + "train --resume " + dir + " --steps 12\n"), said);
        Matcher resumed = Pattern.compile("\\[rank 0\\] train: \\S+ from step (\\d+) to 12").matcher(printed);
        assertTrue(resumed.find() && resumed.find() && Long.parseLong(resumed.group(1)) >= 2, printed);
        assertTrue(printed.contains("[rank 0] weights bit-identical on all 2 ranks at step 12"), printed);
        List<String> log = Files.readAllLines(dir.resolve("log.jsonl"));
        assertTrue(log.get(log.size() - 1).startsWith("{\"step\":12,"), log.get(log.size() - 1));
        assertTrue(Files.exists(dir.resolve("final.safetensors")));
    }
}
