package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;

/** What a run killed mid-write leaves in its folder, and how resuming copes with it. */
class RunFolderTest {
    @TempDir
    Path dir;

    @Test
    void aTornLastLogLineDoesNotBlockResuming() throws IOException {
        Path log = dir.resolve("log.jsonl");
        byte[] torn = "{\"step\":4,\"loss\":0.1,\"note\":\"\u00e9".getBytes(StandardCharsets.UTF_8);
        // cut inside the two bytes of the last character, as a kill can
        Files.write(log, ("{\"step\":1,\"loss\":0.4}\n{\"step\":2,\"loss\":0.3}\n{\"step\":3,\"loss\":0.2}\n"
                + new String(torn, 0, torn.length - 1, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1));
        try (TrainingLog l = TrainingLog.open(log, 2)) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>(); // Map.of's order changes from run to run
            entry.put("step", 3);
            entry.put("loss", 0.25);
            l.write(entry);
        }
        assertEquals(List.of("{\"step\":1,\"loss\":0.4}", "{\"step\":2,\"loss\":0.3}", "{\"step\":3,\"loss\":0.25}"),
                Files.readAllLines(log));
    }

    @Test
    void aDamagedLineBeforeTheLastIsNamed() throws IOException {
        Path log = dir.resolve("log.jsonl");
        Files.writeString(log, "{\"step\":1}\n{\"st\n{\"step\":2}\n");
        UserError e = assertThrows(UserError.class, () -> TrainingLog.open(log, 2));
        assertEquals(log + ": line 2 is not a JSON object (",
                e.getMessage().substring(0, (log + ": line 2 is not a JSON object (").length()));
        assertEquals("{\"step\":1}\n{\"st\n{\"step\":2}\n", Files.readString(log), "the log is left as it was");
    }

    @Test
    void halfWrittenCheckpointFoldersOfAKilledRunAreRemoved() throws IOException {
        Path root = dir.resolve("checkpoints");
        Path kept = Files.createDirectories(root.resolve("step-0000004"));
        Files.writeString(kept.resolve("state.json"), "{}");
        Path stale = Files.createDirectories(root.resolve(".step-0000006.partial"));
        Files.writeString(stale.resolve("model.safetensors"), "half");
        Path other = Files.createDirectories(root.resolve(".step-0000008.partial"));
        Files.writeString(root.resolve("latest"), "step-0000004\n");
        TrainingCheckpoint.removePartials(root);
        try (var left = Files.list(root)) {
            assertEquals(List.of("latest", "step-0000004"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(false, Files.exists(other));
    }
}
