package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `walrus bench dist` launches 2 loopback ranks and reports one all-reduce rate per buffer size. */
class DistBenchmarkTest {
    @Test
    void twoRanksReportTheAllReduceRateOfEveryBufferSize() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, DistBenchmark.launch(out, out));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[rank 0] all-reduce (sum, fp32) over Gloo, 2 ranks"), text);
        Matcher m = Pattern.compile("\\[rank 0\\] +(\\d+) MB +([0-9.]+) s +([0-9.]+) MB/s").matcher(text);
        List<Integer> sizes = new java.util.ArrayList<>();
        while (m.find()) {
            sizes.add(Integer.parseInt(m.group(1)));
            double seconds = Double.parseDouble(m.group(2)), rate = Double.parseDouble(m.group(3));
            assertTrue(seconds > 0 && rate > 1, m.group());
            assertEquals(Integer.parseInt(m.group(1)) / seconds, rate, rate * 0.05, m.group());
        }
        assertEquals(List.of(1, 4, 16, 64, 256), sizes, text);
        assertFalse(text.contains("[rank 1] all-reduce"), "only rank 0 prints the table");
    }
}
