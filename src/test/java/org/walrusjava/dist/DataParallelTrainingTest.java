package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.cli.Main;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.AdvectionData;
import org.walrusjava.train.TrainingCheckpoint;

/**
 * Data-parallel training over Gloo on loopback: ranks are child JVMs started by {@link Launcher}, one thread each,
 * training the tiny config on a small advection dataset.
 */
class DataParallelTrainingTest {
    static final Path CONFIG = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny", "extended_config.yaml");
    /** Buckets of 1 MB, so that the tiny model's gradients make several and ddp starts some during the backward pass. */
    static final Map<String, String> ENV = Map.of("WALRUS_THREADS", "1", "OMP_NUM_THREADS", "1", "WALRUS_DIST_TIMEOUT", "60",
            "WALRUS_DIST_BUCKET_MB", "1");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() {
        data = AdvectionData.write(tmp.resolve("advection"), "tracer", 2, 1, 8);
    }

    /** A run of `walrus train` on nproc ranks, its output captured. */
    record Run(Launcher.Workers workers, ByteArrayOutputStream output) {
        static Run start(int nproc, List<String> args) throws IOException {
            return start(nproc, args, ENV);
        }

        static Run start(int nproc, List<String> args, Map<String, String> env) throws IOException {
            return start(new Launcher.Plan(nproc, 1, 0, "127.0.0.1", freePort()), args, env);
        }

        /** One node's launch of a run over several (here all on this machine, as a cluster's nodes would be). */
        static Run start(Launcher.Plan node, List<String> args, Map<String, String> env) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            return new Run(Launcher.start(node, args, env, out), bytes);
        }

        /** Waits (up to 4 minutes) until rank 0 has written a checkpoint: training is under way on all ranks. */
        void awaitCheckpoint(Path dir) throws InterruptedException {
            Path latest = dir.resolve("checkpoints/latest");
            long deadline = System.nanoTime() + 240_000_000_000L;
            while (!Files.exists(latest) && System.nanoTime() < deadline) Thread.sleep(200);
            assertTrue(Files.exists(latest), text());
        }

        String finish() throws InterruptedException {
            int code = workers.waitFor(new PrintStream(output, true, StandardCharsets.UTF_8));
            String text = text();
            assertEquals(0, code, text);
            return text;
        }

        String text() {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    static List<String> train(Path out, int steps, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--config", CONFIG.toString(), "--data", data.toString(),
                "--steps", String.valueOf(steps), "--batch-size", "1", "--grad-acc", "2", "--seed", "3", "--lr", "1e-3",
                "--validate-every", "0", "--out", out.toString(),
                "data.module_parameters.n_steps_input=3"));
        args.addAll(List.of(more));
        return args;
    }

    static List<String> resume(Path dir) {
        return List.of("train", "--resume", dir.toString(), "--steps", "20");
    }

    @Test
    void twoRanksTrainAsOneProcessWithTheSameGlobalBatchShardedOrNotAndRunsMoveBetweenWorldSizes() throws Exception {
        Path two = tmp.resolve("two-ranks"), one = tmp.resolve("one-process");
        long t0 = System.nanoTime();
        // the two-rank run shards gradients and optimizer state (ZeRO-2); the one that resumes one process's run on 2 ranks does not
        Run a = Run.start(2, train(two, 20, "--save-every", "10", "--stop-at", "10", "+trainer.distribution=fsdp"));
        Run b = Run.start(1, train(one, 20, "--save-every", "10", "--stop-at", "10"));
        String firstHalf = a.finish();
        b.finish();
        assertTrue(firstHalf.contains("[rank 0] weights bit-identical on all 2 ranks at step 10"), firstHalf);
        assertTrue(firstHalf.contains("data parallel over 2 ranks, gradients and optimizer state sharded (ZeRO-2)"), firstHalf);

        // the second half: each run continues on its own world size and on the other one
        Path twoThenOne = copy(two, tmp.resolve("two-then-one")), oneThenTwo = copy(one, tmp.resolve("one-then-two"));
        Run[] second = {Run.start(2, resume(two)), Run.start(1, resume(twoThenOne)), Run.start(1, resume(one)),
                Run.start(2, resume(oneThenTwo))};
        List<String> outputs = new ArrayList<>();
        for (Run r : second) outputs.add(r.finish());
        assertTrue(outputs.get(0).contains("[rank 0] weights bit-identical on all 2 ranks at step 20"), outputs.get(0));
        assertTrue(outputs.get(3).contains("data parallel over 2 ranks\n"), outputs.get(3));
        // ddp and fsdp: the gradient sums start while the backward pass runs, bucket by bucket
        for (Path run : List.of(oneThenTwo, two)) {
            String lastStep = Files.readAllLines(run.resolve("log.jsonl")).getLast();
            Matcher during = Pattern.compile("\"gradient_buckets_during_backward\":\"(\\d+) of (\\d+)\"")
                    .matcher(lastStep);
            assertTrue(during.find(), lastStep);
            System.out.println(run.getFileName() + ": gradient buckets summed during the backward pass: " + during.group(0));
            assertTrue(Integer.parseInt(during.group(1)) > 0, lastStep);
        }
        System.out.printf("data parallel: 4 runs of 20 steps (2 ranks, 1 process, 2->1, 1->2) in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);

        Map<String, Tensor> reference = SafeTensors.read(one.resolve("final.safetensors"));
        Map<String, Tensor> start = SafeTensors.read(one.resolve("checkpoints/step-0000010/model.safetensors"));
        double moved = 0;
        for (String k : reference.keySet()) moved = Math.max(moved, maxAbsDiff(reference.get(k), start.get(k)));
        assertTrue(moved > 1e-4, "steps 11-20 changed the weights: " + moved);
        for (Path run : List.of(two, twoThenOne, oneThenTwo)) {
            Map<String, Tensor> w = SafeTensors.read(run.resolve("final.safetensors"));
            assertEquals(reference.keySet(), w.keySet());
            double worst = 0;
            for (String k : reference.keySet()) worst = Math.max(worst, maxAbsDiff(reference.get(k), w.get(k)));
            System.out.printf("data parallel: %s vs one process: max |difference| %.3g%n", run.getFileName(), worst);
            // Two ranks sum the same two micro-batch gradients that one process accumulates, and a + b == b + a in
            // floats; sharded, the clipping norm is still summed in parameter order: the runs agree bit for bit.
            assertEquals(0.0, worst, run.getFileName().toString());
        }
        List<String> logTwo = Files.readAllLines(two.resolve("log.jsonl")), logOne = Files.readAllLines(one.resolve("log.jsonl"));
        assertEquals(20, logTwo.size());
        assertEquals(20, logOne.size());
        for (int i = 0; i < 20; i++)
            assertEquals(field(logOne.get(i), "loss"), field(logTwo.get(i), "loss"), "loss of step " + (i + 1));
    }

    /**
     * fsdp with activation checkpointing: between uses, each rank keeps only the blocks' weights it owns (rank 0's log
     * says how many bytes of weights it held during the micro-batches), and the run still ends bit for bit where one
     * process with the same checkpointing ends.
     */
    @Test
    void fsdpWithCheckpointingParksOtherOwnersBlockWeightsAndTrainsAsOneProcess() throws Exception {
        Path two = tmp.resolve("fsdp-checkpointed"), one = tmp.resolve("one-checkpointed");
        Run a = Run.start(2, train(two, 6, "--activation-checkpointing", "1", "+trainer.distribution=fsdp"));
        Run b = Run.start(1, train(one, 6, "--activation-checkpointing", "1"));
        String text = a.finish();
        b.finish();
        assertTrue(text.contains("blocks' weights parked on their owners between uses"), text);
        Map<String, Tensor> reference = SafeTensors.read(one.resolve("final.safetensors"));
        Map<String, Tensor> sharded = SafeTensors.read(two.resolve("final.safetensors"));
        long total = 0, blocks = 0;
        for (String k : reference.keySet()) {
            assertEquals(0.0, maxAbsDiff(reference.get(k), sharded.get(k)), k);
            total += reference.get(k).bytes();
            if (k.startsWith("blocks.")) blocks += reference.get(k).bytes();
        }
        List<String> log = Files.readAllLines(two.resolve("log.jsonl"));
        double held = field(log.get(log.size() - 1), "weight_bytes_in_step");
        double gradients = field(log.get(log.size() - 1), "gradient_bytes_after_backward");
        System.out.printf("fsdp, checkpointing every block: rank 0 held %.0f of %d weight bytes during the micro-batches "
                + "(blocks: %d) and %.0f bytes of gradients at the end of its backward pass%n", held, total, blocks,
                gradients);
        assertTrue(held > total - 0.75 * blocks && held < total - 0.25 * blocks, held + " of " + total);
        // The 2-D window trains neither 3-D encoder nor decoder: trained = all but the 3-D ones, minus others' blocks.
        long trained = 0;
        for (String k : reference.keySet())
            if (!k.startsWith("embed.3.") && !k.startsWith("debed.3.") && !k.contains("buffer")) trained += reference.get(k).bytes();
        assertTrue(gradients < trained - 0.25 * blocks && gradients > trained - 0.75 * blocks - 4096,
                gradients + " of " + trained);
    }

    @Test
    void hsdpOnTwoNodesOfTwoRanksTrainsAsOneProcessWithTheSameGlobalBatch() throws Exception {
        Path four = tmp.resolve("hsdp-2x2"), one = tmp.resolve("hsdp-one-process");
        // with activation checkpointing, so that each node's ranks also park the blocks' weights of the node's other owners
        List<String> hsdp = train(four, 6, "--activation-checkpointing", "1", "+trainer.distribution=hsdp");
        List<String> alone = train(one, 6, "--activation-checkpointing", "1");
        // 4 micro-batches per step: one on each rank, all four in the single process
        for (List<String> args : List.of(hsdp, alone)) args.set(args.indexOf("--grad-acc") + 1, "4");
        long t0 = System.nanoTime();
        int port = freePort();
        Run node0 = Run.start(new Launcher.Plan(2, 2, 0, "127.0.0.1", port), hsdp, ENV);
        Run node1 = Run.start(new Launcher.Plan(2, 2, 1, "127.0.0.1", port), hsdp, ENV);
        Run reference = Run.start(1, alone);
        String said = node0.finish();
        node1.finish();
        reference.finish();
        System.out.printf("hsdp: 2 nodes x 2 ranks and 1 process, 6 steps of 4 micro-batches, in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        assertTrue(said.contains("[rank 0] weights bit-identical on all 4 ranks at step 6"), said);
        assertTrue(said.contains("data parallel over 4 ranks, gradients and optimizer state sharded within each node, "
                + "replicated across nodes (hsdp), blocks' weights parked on their owners between uses"), said);

        // Each node sums its ranks' gradients, then the nodes add their sums: (a + b) + (c + d), where one process
        // accumulates ((a + b) + c) + d, so the runs agree to float rounding rather than bit for bit. AdamW's
        // normalized step turns the rounding of a near-zero gradient into a difference of up to the learning rate
        // (1e-3) in a few weights; fsdp over 4 ranks on one node differs from one process as much.
        Path checkpoint = Path.of("checkpoints/step-0000006");
        Difference weights = difference(one.resolve("final.safetensors"), four.resolve("final.safetensors"));
        Difference moments = difference(one.resolve(checkpoint).resolve("optimizer.safetensors"),
                four.resolve(checkpoint).resolve("optimizer.safetensors"));
        System.out.printf("hsdp: 2 nodes x 2 ranks vs one process: weights %s; moments gathered into the checkpoint %s%n",
                weights, moments);
        assertTrue(weights.worst() < 1e-3 && weights.above() < weights.count() / 10_000, weights.toString());
        assertTrue(moments.worst() < 1e-5, moments.toString());
        List<String> logFour = Files.readAllLines(four.resolve("log.jsonl")), logOne = Files.readAllLines(one.resolve("log.jsonl"));
        assertEquals(field(logOne.get(0), "grad_norm"), field(logFour.get(0), "grad_norm"), 1e-9 * field(logOne.get(0), "grad_norm"));
        for (int i = 0; i < 6; i++)
            assertEquals(field(logOne.get(i), "loss"), field(logFour.get(i), "loss"), 1e-6 * field(logOne.get(i), "loss"));
    }

    /** How two files of float tensors differ: the largest difference, how many elements differ by more than 1e-5. */
    record Difference(double worst, long above, long count) {
        @Override
        public String toString() {
            return String.format("max |difference| %.3g, %d of %d elements differ by more than 1e-5", worst, above, count);
        }
    }

    /** Compares the float tensors of {@code b} with those of {@code a}, by a's keys but generator states and step counts. */
    static Difference difference(Path a, Path b) {
        Map<String, Tensor> x = SafeTensors.read(a), y = SafeTensors.read(b);
        double worst = 0;
        long above = 0, count = 0;
        for (String k : x.keySet()) {
            if (k.startsWith("rng.") || k.endsWith(".step")) continue;
            float[] p = x.get(k).toFloatArray(), q = y.get(k).toFloatArray();
            for (int i = 0; i < p.length; i++) {
                double d = Math.abs(p[i] - q[i]);
                worst = Math.max(worst, d);
                if (d > 1e-5) above++;
            }
            count += p.length;
        }
        return new Difference(worst, above, count);
    }

    @Test
    void killingARankStopsTheOtherAtOnceNamingItAndTheLastCheckpointResumes() throws Exception {
        Path dir = tmp.resolve("killed");
        Run r = Run.start(2, train(dir, 1000, "--save-every", "2"));
        Path checkpoints = dir.resolve("checkpoints");
        r.awaitCheckpoint(dir);
        long killed = System.nanoTime();
        r.workers().process(1).destroyForcibly();
        ByteArrayOutputStream launchErr = new ByteArrayOutputStream();
        int code = r.workers().waitFor(new PrintStream(launchErr, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - killed) / 1e9;
        String out = r.text(), err = launchErr.toString(StandardCharsets.UTF_8);
        System.out.printf("data parallel: rank 0 stopped %.2f s after rank 1 was killed:%n%s%s", seconds,
                out.lines().filter(l -> l.startsWith("[rank 0] walrus:")).findFirst().orElse("") + "\n", err);
        assertNotEquals(0, code);
        assertTrue(err.startsWith("walrus launch: rank 1 exited with code 137 (killed by signal 9)"), err);
        assertTrue(out.contains("[rank 0] walrus: rank 0: ") && out.contains("rank 1 went away"), out);
        assertTrue(seconds < Launcher.GRACE_SECONDS, "rank 0 stopped by itself, in " + seconds + " s");
        assertFalse(r.workers().process(0).isAlive());

        Path latest = TrainingCheckpoint.resolve(checkpoints, TrainingCheckpoint.LATEST).orElseThrow();
        long step = TrainingCheckpoint.read(latest).state().step();
        assertTrue(step >= 2 && step % 2 == 0, latest.toString());
        assertEquals(0, Main.execute("train", "--resume", dir.toString(), "--steps", "1000", "--stop-at",
                String.valueOf(step + 1)));
        assertEquals(step + 1, TrainingCheckpoint.read(TrainingCheckpoint.resolve(checkpoints, TrainingCheckpoint.LATEST)
                .orElseThrow()).state().step());
    }

    @Test
    void aRankThatHangsStopsTheOtherAfterTheExchangeTimeout() throws Exception {
        Path dir = tmp.resolve("hung");
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("WALRUS_DIST_TIMEOUT", "10");
        Run r = Run.start(2, train(dir, 1000, "--save-every", "1"), env);
        r.awaitCheckpoint(dir);
        Process hung = r.workers().process(1);
        long stopped = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-STOP", String.valueOf(hung.pid())).start().waitFor());
        Process leader = r.workers().process(0);
        assertTrue(leader.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), r.text());
        double seconds = (System.nanoTime() - stopped) / 1e9;
        hung.destroyForcibly().waitFor();
        r.workers().waitFor(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String out = r.text();
        System.out.printf("data parallel: rank 0 stopped %.2f s after rank 1 hung (WALRUS_DIST_TIMEOUT=10):%n%s%n", seconds,
                out.lines().filter(l -> l.startsWith("[rank 0] walrus:")).findFirst().orElse(""));
        assertEquals(2, leader.exitValue());
        assertTrue(out.contains("[rank 0] walrus: rank 0: ") && out.contains("rank 1 did not answer within 10 s "
                + "(WALRUS_DIST_TIMEOUT): it hung or died"), out);
        // the timeout, plus at most one training step of rank 0 before it reached the exchange
        assertTrue(seconds >= 9 && seconds < 40, seconds + " s");
    }

    @Test
    void ranksStartedWithDifferentWorldSizesRefuseBeforeConnecting() throws Exception {
        String port = String.valueOf(freePort());
        List<Process> ranks = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            List<String> cmd = new ArrayList<>(Launcher.javaCommand());
            cmd.add("train");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(ENV);
            pb.environment().putAll(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", port, "RANK", String.valueOf(rank),
                    "WORLD_SIZE", rank == 0 ? "2" : "3", "WALRUS_DIST_RENDEZVOUS_TIMEOUT", "120"));
            ranks.add(pb.start());
        }
        String hint = "; start every rank with the same WORLD_SIZE (--nproc x --nnodes)\n";
        String[] expected = {"walrus: rank 0: world-size mismatch: rank 0 was started with 2 ranks, rank 1 with 3" + hint,
                "walrus: rank 1: world-size mismatch: rank 1 was started with 3 ranks, rank 0 with 2" + hint};
        for (int rank = 0; rank < 2; rank++) {
            String out = new String(ranks.get(rank).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, ranks.get(rank).waitFor(), out);
            assertTrue(out.endsWith(expected[rank]), out);
        }
    }

    @Test
    void aRankLeftAloneStopsAfterTheRendezvousTimeoutSayingWhoJoined() throws Exception {
        List<Process> alone = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        long started = System.nanoTime();
        // rank 0 serves a store that no other rank reaches; rank 1, on another port, finds no rank 0 to reach
        for (int rank = 0; rank < 2; rank++) {
            List<String> cmd = new ArrayList<>(Launcher.javaCommand());
            cmd.add("train");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(ENV);
            ports.add(String.valueOf(freePort()));
            pb.environment().putAll(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", ports.get(rank), "RANK",
                    String.valueOf(rank), "WORLD_SIZE", "2", "WALRUS_DIST_RENDEZVOUS_TIMEOUT", "3"));
            alone.add(pb.start());
        }
        String[] expected = {
                "walrus: rank 0: rendezvous at 127.0.0.1:" + ports.get(0) + " timed out after 3 s "
                        + "(WALRUS_DIST_RENDEZVOUS_TIMEOUT) waiting for all 2 ranks [1 of 2 joined]\n",
                "walrus: rank 1: no rank 0 answered at 127.0.0.1:" + ports.get(1) + " within 3 s "
                        + "(WALRUS_DIST_RENDEZVOUS_TIMEOUT) ["};
        StringBuilder said = new StringBuilder();
        for (int rank = 0; rank < 2; rank++) {
            Process p = alone.get(rank);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "rank " + rank + " still waits after 30 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), out);
            String last = out.lines().reduce((a, b) -> b).orElse("");
            assertTrue((last + "\n").startsWith(expected[rank]), out);
            assertEquals(1, out.lines().filter(l -> l.startsWith("walrus:")).count(), "one line: " + out);
            said.append(last).append('\n');
        }
        System.out.printf("data parallel: ranks left alone stopped %.1f s after they started (rendezvous timeout 3 s):%n%s",
                (System.nanoTime() - started) / 1e9, said);
    }

    static double field(String jsonLine, String name) {
        return Double.parseDouble(jsonLine.replaceFirst(".*\"" + name + "\":([-0-9.eE+NaIinfty]+).*", "$1"));
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        return worst;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }
}
