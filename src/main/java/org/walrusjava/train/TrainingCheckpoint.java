package org.walrusjava.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.walrusjava.AtomicFiles;
import org.walrusjava.UserError;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;

/**
 * A resumable snapshot of a run: a folder {@code <root>/step-NNNNNNN} with the weights (model.safetensors, by
 * state-dict key), the optimizer moments and libtorch's generator state (optimizer.safetensors), and the
 * counters, sampler position and vocabulary (state.json). It is written as a hidden ".partial" folder and renamed
 * into place only when complete; pointer files ("latest", "best") name the folder to use and are replaced
 * atomically, so a crash at any moment leaves the previous checkpoint usable.
 */
public final class TrainingCheckpoint {
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    private static final String MODEL = "model.safetensors";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param step optimizer steps done
     * @param bestValidation best validation score so far (NaN before the first validation), at bestStep
     * @param vocabulary the model's field vocabulary, index -> name
     */
    public record State(long step, DatasetSampler.State sampler, double bestValidation, long bestStep,
            List<String> vocabulary) {}

    public record Loaded(Path folder, Map<String, Tensor> model, Map<String, Tensor> optimizer, State state) {}

    private TrainingCheckpoint() {}

    public static String name(long step) {
        return String.format("step-%07d", step);
    }

    /** Writes the checkpoint folder for state.step() under root and returns it (an existing one is replaced). */
    public static Path write(Path root, Map<String, Tensor> model, Map<String, Tensor> optimizer, State state) {
        Path target = root.resolve(name(state.step()));
        Path partial = root.resolve("." + name(state.step()) + ".partial");
        try {
            deleteTree(partial);
            Files.createDirectories(partial);
            SafeTensors.write(partial.resolve(MODEL), model);
            SafeTensors.write(partial.resolve(OPTIMIZER), optimizer);
            AtomicFiles.writeString(partial.resolve(STATE), JSON.writeValueAsString(state));
            deleteTree(target);
            move(partial, target);
        } catch (IOException e) {
            throw new UserError(target + ": cannot write checkpoint (" + e.getMessage() + ")", e);
        }
        return target;
    }

    /** Makes the pointer file {@code root/pointer} name {@code folder}. */
    public static void point(Path root, String pointer, Path folder) {
        AtomicFiles.writeString(root.resolve(pointer), folder.getFileName().toString() + "\n");
    }

    /** The folder a pointer names, if the pointer exists. */
    public static Optional<Path> resolve(Path root, String pointer) {
        Path p = root.resolve(pointer);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            Path folder = root.resolve(Files.readString(p).trim());
            if (!Files.isDirectory(folder)) throw new UserError(p + ": names " + folder + ", which does not exist");
            return Optional.of(folder);
        } catch (IOException e) {
            throw new UserError(p + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static Loaded read(Path folder) {
        for (String f : List.of(MODEL, OPTIMIZER, STATE))
            if (!Files.isRegularFile(folder.resolve(f))) throw new UserError(folder + ": not a training checkpoint (no " + f + ")");
        try {
            State state = JSON.readValue(folder.resolve(STATE).toFile(), State.class);
            return new Loaded(folder, SafeTensors.read(folder.resolve(MODEL)), SafeTensors.read(folder.resolve(OPTIMIZER)), state);
        } catch (IOException e) {
            throw new UserError(folder.resolve(STATE) + ": unreadable (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Deletes the hidden ".partial" folders a killed run left half-written. Only a resuming run calls it, when no
     * checkpoint is being written into root.
     */
    public static void removePartials(Path root) {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\.step-\\d+\\.partial")).toList())
                deleteTree(p);
        } catch (IOException e) {
            throw new UserError(root + ": cannot remove the half-written checkpoints of an interrupted run ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Removes step folders except the newest {@code keep} and any a pointer names. */
    public static void prune(Path root, int keep) {
        List<Path> pinned = Stream.of(LATEST, BEST).map(p -> resolve(root, p)).flatMap(Optional::stream).toList();
        try (Stream<Path> s = Files.list(root)) {
            List<Path> steps = s.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
            for (int i = Math.max(0, keep); i < steps.size(); i++)
                if (!pinned.contains(steps.get(i))) deleteTree(steps.get(i));
        } catch (IOException e) {
            throw new UserError(root + ": cannot prune old checkpoints (" + e.getMessage() + ")", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
