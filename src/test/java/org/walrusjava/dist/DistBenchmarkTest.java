package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.walrusjava.bench.ModelSizes;
import org.walrusjava.model.WalrusModel;

/**
 * `walrus bench dist` launches 2 loopback ranks and reports one all-reduce rate per buffer size, and the training
 * state each rank holds in each mode.
 */
class DistBenchmarkTest {
    static String text;

    @BeforeAll
    static void launch() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, DistBenchmark.launch(out, out));
        text = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void twoRanksReportTheAllReduceRateOfEveryBufferSize() {
        assertTrue(text.contains("[rank 0] all-reduce (sum, fp32) over Gloo, 2 ranks"), text);
        Matcher m = Pattern.compile("\\[rank 0\\] +(\\d+) MB +([0-9.]+) s +([0-9.]+) MB/s").matcher(text);
        List<Integer> sizes = new ArrayList<>();
        while (m.find()) {
            sizes.add(Integer.parseInt(m.group(1)));
            double seconds = Double.parseDouble(m.group(2)), rate = Double.parseDouble(m.group(3));
            assertTrue(seconds > 0 && rate > 1, m.group());
            assertEquals(Integer.parseInt(m.group(1)) / seconds, rate, rate * 0.05, m.group());
        }
        assertEquals(List.of(1, 4, 16, 64, 256), sizes, text);
        assertFalse(text.contains("[rank 1] all-reduce"), "only rank 0 prints the table");
    }

    /** A rank's measured megabytes: weights, gradients, moments. */
    record Held(double weights, double gradients, double moments) {}

    @Test
    void shardedRanksHoldHalfTheGradientsAndMomentsOfReplicatedOnesAndTheSameWeights() {
        System.out.print(text.lines().filter(l -> l.contains("MB  gradients") || l.contains("1.3B") || l.contains("tiny"))
                .map(l -> l + "\n").reduce("", String::concat));
        Map<String, List<Held>> byMode = new HashMap<>();
        Matcher m = Pattern.compile("\\[rank 0\\] +(ddp|fsdp \\(ZeRO-2\\)) +rank (\\d) +weights +([0-9.]+) MB +gradients +"
                + "([0-9.]+) MB +moments +([0-9.]+) MB").matcher(text);
        while (m.find()) {
            List<Held> ranks = byMode.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            assertEquals(ranks.size(), Integer.parseInt(m.group(2)), m.group());
            ranks.add(new Held(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))));
        }
        List<Held> ddp = byMode.get("ddp"), fsdp = byMode.get("fsdp (ZeRO-2)");
        assertEquals(2, ddp.size(), text);
        assertEquals(2, fsdp.size(), text);
        WalrusModel tiny = new WalrusModel(ModelSizes.tiny());
        double weights = tiny.parameterCount() * 4 / 1e6, largest = 0;
        for (long[] shape : tiny.shapes().values()) largest = Math.max(largest, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b) * 4 / 1e6);
        // printed to the kB: sums of two figures may differ by one unit of their last place
        double kB = 0.0011;
        for (int r = 0; r < 2; r++) {
            assertEquals(ddp.get(0), ddp.get(r), "replicated ranks hold the same");
            assertEquals(weights, ddp.get(r).weights(), kB, "every rank holds all weights");
            assertEquals(weights, fsdp.get(r).weights(), kB, "weights are not sharded");
            // every parameter with a gradient has two moments of its size
            assertEquals(2 * ddp.get(r).gradients(), ddp.get(r).moments(), kB);
            assertEquals(2 * fsdp.get(r).gradients(), fsdp.get(r).moments(), kB);
            // a share of the whole: half of it, give or take the parameters dealt out (at most the largest one)
            double share = fsdp.get(r).gradients() + fsdp.get(r).moments(), whole = ddp.get(r).gradients() + ddp.get(r).moments();
            assertEquals(whole / 2, share, 3 * largest, "rank " + r + " holds about half: " + share + " MB of " + whole);
        }
        assertEquals(ddp.get(0).gradients(), fsdp.get(0).gradients() + fsdp.get(1).gradients(), kB,
                "the shards together are the whole");
        assertEquals(ddp.get(0).moments(), fsdp.get(0).moments() + fsdp.get(1).moments(), kB);
        long p = new WalrusModel(ModelSizes.full()).parameterCount();
        assertTrue(text.contains(String.format("1.3B, 8 ranks: ddp %.1f GB/rank, fsdp (ZeRO-2) %.1f GB/rank", 16.0 * p / 1e9,
                (4.0 * p + 1.5 * p) / 1e9)), text);
    }
}
