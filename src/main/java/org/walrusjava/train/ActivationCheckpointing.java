package org.walrusjava.train;

import org.walrusjava.UserError;

/**
 * Which activations a training step recomputes instead of keeping (see {@link Backpropagation}).
 *
 * @param every processor blocks per recomputed segment; 0 keeps every activation
 * @param selective the re-run takes the projections' outputs kept from the first pass instead of recomputing them
 *     (fp32 on the CPU; elsewhere the whole segment is recomputed)
 */
public record ActivationCheckpointing(int every, boolean selective) {
    public static final ActivationCheckpointing OFF = new ActivationCheckpointing(0, false);

    public ActivationCheckpointing {
        if (every < 0) throw new UserError("activation checkpointing segment " + every + " is negative (0 = off)");
        if (every == 0) selective = false;
    }

    /** How the re-run works: "full" recomputes every step of a segment, "selective" all but its projections. */
    public static ActivationCheckpointing of(int every, String recompute) {
        return switch (recompute.trim().toLowerCase()) {
            case "full" -> new ActivationCheckpointing(every, false);
            case "selective" -> new ActivationCheckpointing(every, true);
            default -> throw new UserError("activation_recompute '" + recompute + "' is not one of full, selective");
        };
    }

    /** "0" (off), "K" (full recompute, K blocks per segment) or "K:selective" / "K:full". */
    public static ActivationCheckpointing parse(String spec) {
        String[] parts = spec.trim().split(":", 2);
        try {
            return of(Integer.parseInt(parts[0].trim()), parts.length > 1 ? parts[1] : "full");
        } catch (NumberFormatException e) {
            throw new UserError("activation checkpointing '" + spec + "' is not K or K:selective (K blocks per segment)");
        }
    }

    /** The form {@link #parse} reads. */
    public String spec() {
        return every + (selective ? ":selective" : "");
    }

    public boolean on() {
        return every > 0;
    }

    /** "off", "every 2" or "every 2, selective". */
    public String describe() {
        return !on() ? "off" : "every " + every + (selective ? ", selective" : "");
    }
}
