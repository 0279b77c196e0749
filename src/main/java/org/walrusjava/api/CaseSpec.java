package org.walrusjava.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.model.Rolls;

/**
 * What the model needs to know about a window of data that does not come from a Well file: the case schema of
 * the fixtures' cases.json (`variable_fields`, `constant_fields`, `field_indices`, `padded_field_mask`, `bcs`,
 * `T`, `B`, `spatial_shape`), with optional recorded rolls to replay (`patch_rolls`, `block_rolls`).
 */
public record CaseSpec(
        List<String> variableFields,
        List<String> constantFields,
        long[] fieldIndices,
        boolean[] paddedFieldMask,
        int[][] bcs,
        int t,
        int b,
        long[] spatialShape,
        Map<Integer, Integer> patchRolls,
        List<Rolls.BlockRoll> blockRolls) {

    public int variableChannels() {
        return variableFields.size();
    }

    /** Replays the recorded rolls; none recorded means every roll 0. */
    public Rolls recordedRolls() {
        return Rolls.replay(patchRolls, blockRolls);
    }

    public boolean hasRecordedRolls() {
        return !patchRolls.isEmpty() || !blockRolls.isEmpty();
    }

    /** The (T, B, C, H, W, D) shape an input for this case must have. */
    public long[] inputShape() {
        return new long[] {t, b, fieldIndices.length, spatialShape[0], spatialShape[1], spatialShape[2]};
    }

    /**
     * Checks that each field's name is the vocabulary entry its index selects. The model embeds a channel by its
     * index alone, so a misspelt name, or one that disagrees with its index, would otherwise pass unnoticed and
     * label the output with the wrong field. Fails with one line naming the first disagreeing name and index.
     */
    public void checkFieldNames(List<String> vocabulary, String source) {
        List<String> names = new ArrayList<>(variableFields);
        names.addAll(constantFields);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long index = fieldIndices[i];
            String selected = index >= 0 && index < vocabulary.size() ? vocabulary.get((int) index) : null;
            if (names.get(i).equals(selected)) continue;
            int named = vocabulary.indexOf(names.get(i));
            String field = i < variableFields.size() ? "variable_fields[" + i + "]"
                    : "constant_fields[" + (i - variableFields.size()) + "]";
            problems.add(field + " is '" + names.get(i) + "' (" + (named < 0 ? "not in" : "index " + named + " of")
                    + " the model's vocabulary) but field_indices[" + i + "] = " + index + " is "
                    + (selected == null ? "outside its " + vocabulary.size() + " fields" : "'" + selected + "'"));
        }
        if (!problems.isEmpty())
            throw new UserError(source + ": " + problems.getFirst()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
    }

    public static CaseSpec read(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read case file (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return parse(n, file.toString());
    }

    public static CaseSpec parse(JsonNode n, String source) {
        List<String> variable = strings(n, "variable_fields", source);
        List<String> constant = n.has("constant_fields") ? strings(n, "constant_fields", source) : List.of();
        long[] indices = longs(require(n, "field_indices", source));
        if (indices.length != variable.size() + constant.size())
            throw new UserError(source + ": field_indices has " + indices.length + " entries for "
                    + (variable.size() + constant.size()) + " fields");
        boolean[] mask = new boolean[variable.size()];
        Arrays.fill(mask, true);
        if (n.has("padded_field_mask")) {
            JsonNode m = n.get("padded_field_mask");
            if (m.size() != variable.size())
                throw new UserError(source + ": padded_field_mask has " + m.size() + " entries for "
                        + variable.size() + " variable fields");
            for (int i = 0; i < mask.length; i++) mask[i] = m.get(i).asBoolean();
        }
        JsonNode bcsNode = require(n, "bcs", source);
        if (bcsNode.size() > 0 && bcsNode.get(0).get(0).isArray()) bcsNode = bcsNode.get(0); // (B, 3, 2): first sample
        if (bcsNode.size() != 3) throw new UserError(source + ": bcs must list 3 axes of [lower, upper] codes");
        int[][] bcs = new int[3][2];
        for (int a = 0; a < 3; a++)
            for (int e = 0; e < 2; e++) {
                int code = bcsNode.get(a).get(e).asInt(-1);
                if (code < 0 || code > 2)
                    throw new UserError(source + ": bcs[" + a + "][" + e + "] must be 0 (WALL), 1 (OPEN) or 2 (PERIODIC)");
                bcs[a][e] = code;
            }
        long[] spatial = longs(require(n, "spatial_shape", source));
        if (spatial.length == 2) spatial = new long[] {spatial[0], spatial[1], 1};
        if (spatial.length != 3) throw new UserError(source + ": spatial_shape must have 2 or 3 entries");
        Map<Integer, Integer> patch = new LinkedHashMap<>();
        if (n.has("patch_rolls"))
            for (JsonNode r : n.get("patch_rolls")) patch.put(r.get("axis").asInt(), r.get("value").asInt());
        List<Rolls.BlockRoll> blocks = new ArrayList<>();
        if (n.has("block_rolls"))
            for (JsonNode r : n.get("block_rolls"))
                blocks.add(new Rolls.BlockRoll(r.get("block").asInt(), r.get("tensor_dim").asInt(), r.get("value").asInt()));
        return new CaseSpec(variable, constant, indices, mask, bcs, require(n, "T", source).asInt(),
                require(n, "B", source).asInt(), spatial, patch, blocks);
    }

    private static JsonNode require(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw new UserError(source + ": case is missing '" + key + "'");
        return v;
    }

    private static List<String> strings(JsonNode n, String key, String source) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : require(n, key, source)) out.add(s.asText());
        return out;
    }

    private static long[] longs(JsonNode arr) {
        long[] out = new long[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asLong();
        return out;
    }
}
