package org.walrusjava.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.Tensor;

/**
 * Carries trained weights over to a model with a larger field vocabulary (spec §3, fine-tuning on new fields).
 * Only the tensors with one entry per vocabulary field change: the encoder's first convolution
 * (embed.d.proj1.weight, input columns) and the decoder's last one (debed.d.proj2.weight columns and
 * debed.d.proj2.bias). Columns are matched by field name; fields the old model did not know keep the fresh
 * initialisation they are given.
 *
 * <p>The encoder multiplies the selected columns by sqrt((n_states - 3) / (C - 3)) (Corrections 10), so a larger
 * n_states would scale up every old field's input. {@link Alignment#EXACT} multiplies the copied columns by
 * sqrt((old - 3) / (new - 3)) to cancel that exactly; the two columns the encoder leaves unscaled
 * (closed_boundary and open_boundary, vocabulary indices 0 and 1) are copied as they are, while
 * bias_correction (index 2), which the encoder does scale, is rescaled like a data field. Old fields then predict
 * exactly as before. {@link Alignment#UPSTREAM} is the reference's rule: every copied encoder column times
 * sqrt(old / new), which shifts old predictions slightly.
 */
public final class VocabularyExtension {
    public enum Alignment { EXACT, UPSTREAM }

    /** Vocabulary names of the three boundary tokens, at the indices the model's flag channels use. */
    public static final List<String> BOUNDARY_TOKENS = List.of("closed_boundary", "open_boundary", "bias_correction");

    private VocabularyExtension() {}

    /**
     * @param trained weights of a model whose vocabulary is {@code oldNames} (index -> name)
     * @param fresh freshly initialised weights of the same architecture with vocabulary {@code newNames}
     * @return {@code fresh} with every old field's columns replaced by the trained ones, and every other tensor
     *     taken from {@code trained}
     */
    public static Map<String, Tensor> extend(Map<String, Tensor> trained, List<String> oldNames,
            List<String> newNames, Map<String, Tensor> fresh, Alignment alignment) {
        checkBoundaryTokens(oldNames, "trained model");
        checkBoundaryTokens(newNames, "new vocabulary");
        Map<String, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < oldNames.size(); i++) oldIndex.put(oldNames.get(i), i);
        for (String name : oldNames)
            if (!newNames.contains(name))
                throw new UserError("new vocabulary drops field '" + name + "' that the trained model knows");

        int oldN = oldNames.size(), newN = newNames.size();
        double dataScale = alignment == Alignment.EXACT ? Math.sqrt((oldN - 3.0) / (newN - 3.0)) : Math.sqrt((double) oldN / newN);
        double boundaryScale = alignment == Alignment.EXACT ? 1.0 : dataScale;

        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Autograd off = Autograd.off()) {
            for (var e : fresh.entrySet()) {
                String key = e.getKey();
                Tensor old = trained.get(key);
                if (old == null) throw new UserError("trained weights have no " + key);
                boolean encoderColumns = key.matches("embed\\.\\d\\.proj1\\.weight");
                boolean decoderColumns = key.matches("debed\\.\\d\\.proj2\\.(weight|bias)");
                if (!encoderColumns && !decoderColumns) {
                    out.put(key, old);
                    continue;
                }
                int dim = key.endsWith("bias") ? 0 : 1;
                if (old.size(dim) != oldN)
                    throw new UserError(key + " has " + old.size(dim) + " vocabulary columns, the old vocabulary "
                            + oldN + " names");
                Tensor merged = e.getValue().copy();
                for (int j = 0; j < newN; j++) {
                    Integer i = oldIndex.get(newNames.get(j));
                    if (i == null) continue;
                    double scale = !encoderColumns ? 1.0 : i == 0 || i == 1 ? boundaryScale : dataScale;
                    merged.narrow(dim, j, 1).copy_(old.narrow(dim, i, 1).mul(scale));
                }
                out.put(key, merged);
            }
        }
        return out;
    }

    /** The flag channels use vocabulary indices 0, 1, 2 (spec §1.2.4), so every vocabulary must start with them. */
    private static void checkBoundaryTokens(List<String> names, String what) {
        if (names.size() < 3 || !names.subList(0, 3).equals(BOUNDARY_TOKENS))
            throw new UserError(what + ": vocabulary must start with " + BOUNDARY_TOKENS + " (the boundary flags), got "
                    + names.subList(0, Math.min(3, names.size())));
    }
}
