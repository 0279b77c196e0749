package org.walrusjava.api;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.CHECKPOINT;
import static org.walrusjava.api.RolloutFixtures.TINY_CONFIG;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.tensor.NativeRuntime;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/** Who owns native memory in the Java API: weights belong to the Walrus, results to the caller. */
class WalrusMemoryTest {
    private static final Path INPUT = TinyFixtures.DIR.resolve("case_a.safetensors");

    @TempDir
    Path dir;

    /** Case a of the fixtures as the case file the README's example reads. */
    private Path caseFile() throws IOException {
        Path json = dir.resolve("case_a.json");
        new ObjectMapper().writeValue(json.toFile(), TinyFixtures.cases().get("cases").get("a"));
        return json;
    }

    @Test
    void aModelLoadedInsideACallersScopeOutlivesIt() throws IOException {
        CaseSpec c = CaseSpec.read(caseFile());
        try (Walrus reference = Walrus.load(CHECKPOINT, TINY_CONFIG);
             NativeScope scope = NativeScope.open()) {
            Tensor window = SafeTensors.read(INPUT).get("raw_input");
            float[] expected = reference.predict(window, c, c.recordedRolls()).toFloatArray();

            Walrus walrus;
            try (NativeScope callers = NativeScope.open()) {
                walrus = Walrus.load(CHECKPOINT, TINY_CONFIG);
            }
            Map<String, Tensor> weights = walrus.model().stateDict();
            try (walrus) {
                // Checked before any use: a freed weight would fail inside libtorch instead of here.
                List<String> freed = weights.entrySet().stream().filter(e -> e.getValue().isFreed())
                        .map(Map.Entry::getKey).toList();
                assertEquals(0, freed.size(), () -> freed.size() + " of " + weights.size()
                        + " weights were freed with the scope they were loaded in, " + freed.getFirst() + " first");
                assertArrayEquals(expected, walrus.predict(window, c, c.recordedRolls()).toFloatArray());
            }
            assertEquals(weights.size(), weights.values().stream().filter(Tensor::isFreed).count(),
                    "closing the Walrus frees every weight");
            assertThrows(IllegalStateException.class, () -> walrus.predict(window, c, c.recordedRolls()));
        }
    }

    @Test
    void theReadmeExampleInALoopKeepsNativeMemoryFlat() throws IOException {
        Path caseJson = caseFile();
        // Warm-up: the first passes start worker threads that keep a native object each, and JIT-compiled code and
        // the allocator's free lists grow the resident size for a while (measured here: +62 MB over the first 20
        // passes, +17 MB over the next 30).
        int warmUp = 20, iterations = 50;
        long baseline = 0, rssAtBaseline = 0;
        List<Long> heldByPredict = new ArrayList<>(), leftAfterIteration = new ArrayList<>();
        double checksum = 0;
        for (int i = 0; i < iterations; i++) {
            if (i == warmUp) {
                baseline = NativeRuntime.liveHandles();
                rssAtBaseline = residentBytes();
            }
            // README.md, "Java API":
            try (Walrus walrus = Walrus.load(CHECKPOINT, TINY_CONFIG);
                 NativeScope scope = NativeScope.open()) {
                CaseSpec c = CaseSpec.read(caseJson);
                Tensor window = SafeTensors.read(INPUT).get("raw_input");
                long beforePredict = NativeRuntime.liveHandles();
                Tensor next = walrus.predict(window, c, Rolls.seeded(0));
                if (i >= warmUp) heldByPredict.add(NativeRuntime.liveHandles() - beforePredict);
                checksum += next.toFloatArray()[0];
            }
            if (i >= warmUp) leftAfterIteration.add(NativeRuntime.liveHandles() - baseline);
        }
        long rssGrowth = residentBytes() - rssAtBaseline;
        System.out.printf("native handles held by predict: max %d; left after an iteration: max %d; RSS growth after"
                        + " warm-up %.1f MB (checksum %.6f)%n", heldByPredict.stream().mapToLong(x -> x).max().orElseThrow(),
                leftAfterIteration.stream().mapToLong(x -> x).max().orElseThrow(), rssGrowth / 1e6, checksum);
        // The garbage collector may free older objects in the meantime, so counts can drop but never rise.
        for (int i = 0; i < heldByPredict.size(); i++) {
            assertTrue(heldByPredict.get(i) <= 1, "predict " + (warmUp + i) + " left " + heldByPredict.get(i)
                    + " native objects behind besides its result");
            assertTrue(leftAfterIteration.get(i) <= 0, "iteration " + (warmUp + i) + " left "
                    + leftAfterIteration.get(i) + " native objects behind");
        }
        // Every pass maps the 10 MB checkpoint and the 4 MB input and reads all of both: kept, 30 passes would add 400 MB.
        assertTrue(rssGrowth < 100_000_000, "resident memory grew by " + rssGrowth + " bytes after warm-up");
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
