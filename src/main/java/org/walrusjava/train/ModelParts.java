package org.walrusjava.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.walrusjava.UserError;
import org.walrusjava.nn.Module;

/**
 * Named parts of a Walrus model, for freezing and per-part learning rates: "encoder" (embed.* and the input scale
 * encoder_dummy), "decoder" (debed.*), "blocks" (all processor blocks), "blocks.3" or a range "blocks.0-9", or
 * any state-dict key prefix such as "blocks.2.time_mixing".
 */
public final class ModelParts {
    private ModelParts() {}

    /** A predicate on state-dict keys for one part name. */
    public static Predicate<String> part(String name) {
        String n = name.trim();
        if (n.isEmpty()) throw new UserError("empty model part name (use encoder, decoder, blocks, blocks.0-9, or a key prefix)");
        return switch (n) {
            case "encoder" -> key -> key.startsWith("embed.") || key.equals("encoder_dummy");
            case "decoder" -> key -> key.startsWith("debed.");
            case "blocks" -> key -> key.startsWith("blocks.");
            default -> n.matches("blocks\\.\\d+-\\d+") ? blockRange(n) : key -> key.equals(n) || key.startsWith(n + ".");
        };
    }

    /**
     * 2 or 3 for a tensor that only 2-D or only 3-D inputs train (embed.2.*, debed.3.*: the encoder and decoder of that
     * dimensionality), 0 for one that every step trains.
     */
    public static int trainedOnlyBy(String key) {
        return key.matches("(embed|debed)\\.[23]\\..*") ? key.charAt(6) - '0' : 0;
    }

    /** "encoder,blocks.0-9" -> one predicate matching any of the parts. */
    public static Predicate<String> parts(String commaSeparated) {
        Predicate<String> any = key -> false;
        if (commaSeparated == null || commaSeparated.isBlank()) return any;
        for (String name : commaSeparated.split(",")) any = any.or(part(name));
        return any;
    }

    private static Predicate<String> blockRange(String n) {
        String[] ends = n.substring("blocks.".length()).split("-");
        int from = Integer.parseInt(ends[0]), to = Integer.parseInt(ends[1]);
        if (from > to) throw new UserError("block range " + n + " runs backwards");
        return key -> {
            if (!key.startsWith("blocks.")) return false;
            String rest = key.substring("blocks.".length());
            int dot = rest.indexOf('.');
            int i = Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot));
            return i >= from && i <= to;
        };
    }

    /**
     * Marks the model's trainable tensors: frozen parts stop requiring gradients, the rest start; each trainable
     * tensor gets the product of the multipliers of every part it belongs to. Every named part must match
     * at least one key, so that a typo does not silently train everything.
     *
     * @param lrMultipliers part name -> factor on the scheduled learning rate
     */
    public static List<TrainableParameter> select(Module model, String frozen, Map<String, Double> lrMultipliers) {
        Map<String, Module.Slot> slots = model.slots();
        Predicate<String> isFrozen = parts(frozen);
        requireMatches(slots.keySet(), frozen == null || frozen.isBlank() ? List.of() : List.of(frozen.split(",")));
        requireMatches(slots.keySet(), new ArrayList<>(lrMultipliers.keySet()));
        Map<Predicate<String>, Double> factors = new LinkedHashMap<>();
        lrMultipliers.forEach((name, f) -> factors.put(part(name), f));
        List<TrainableParameter> out = new ArrayList<>();
        for (var e : slots.entrySet()) {
            Module.Slot slot = e.getValue();
            if (!slot.trainable()) continue;
            boolean train = !isFrozen.test(e.getKey());
            slot.get().requiresGrad(train);
            if (!train) continue;
            double factor = 1;
            for (var f : factors.entrySet()) if (f.getKey().test(e.getKey())) factor *= f.getValue();
            out.add(new TrainableParameter(e.getKey(), slot.get(), factor));
        }
        if (out.isEmpty()) throw new UserError("--freeze " + frozen + " leaves nothing to train");
        return out;
    }

    private static void requireMatches(java.util.Collection<String> keys, List<String> names) {
        for (String name : names) {
            Predicate<String> p = part(name);
            if (keys.stream().noneMatch(p))
                throw new UserError("model part '" + name.trim() + "' matches no parameter (use encoder, decoder, "
                        + "blocks, blocks.A-B, or a state-dict key prefix)");
        }
    }
}
