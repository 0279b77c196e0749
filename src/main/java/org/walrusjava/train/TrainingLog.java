package org.walrusjava.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;

/**
 * The run's JSONL log: one JSON object per line, per optimizer step ({"step", "loss", "lr", ...}) and per
 * validation ({"step", "validation": ...}). Each line is flushed as it is written. When a run resumes from a
 * checkpoint, lines after that checkpoint's step (written before an interruption) are dropped first, so the log
 * reads like the uninterrupted run's.
 */
public final class TrainingLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;

    private TrainingLog(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens the log for appending, after dropping entries past {@code resumedStep}. */
    public static TrainingLog open(Path file, long resumedStep) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                // Decoded leniently: a kill mid-write can cut a multi-byte character in two.
                List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
                List<String> kept = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        // The last line is the one a killed run was writing: it is dropped like any entry past
                        // the checkpoint. Anywhere else a line that is not JSON means the file was damaged.
                        if (i == lines.size() - 1) continue;
                        throw new UserError(file + ": line " + (i + 1) + " is not a JSON object ("
                                + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
                    }
                    if (n.path("step").asLong(Long.MAX_VALUE) <= resumedStep) kept.add(line);
                }
                AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
            }
            return new TrainingLog(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot open the training log (" + e.getMessage() + ")", e);
        }
    }

    public Path file() {
        return file;
    }

    public void write(Map<String, Object> entry) {
        try {
            out.write(JSON.writeValueAsString(entry));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UserError(file + ": cannot write the training log (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UserError(file + ": cannot close the training log (" + e.getMessage() + ")", e);
        }
    }
}
