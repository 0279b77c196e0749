package org.walrusjava.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a rollout produces at each step: one array per channel on a common grid, row-major (last axis fastest), and
 * which channels are real fields. Walrus pads vector and tensor fields of 2-D data to three components; those
 * padded components (`padded_field_mask` false) are carried along but never scored or drawn.
 *
 * @param channels one name per channel, in the model's channel order
 * @param real per channel, false for a padded component
 * @param shape the spatial grid, e.g. {H, W} or {H, W, D}; 2-D data carried as {H, W, 1} is fine
 */
public record FieldLayout(List<String> channels, boolean[] real, int[] shape) {
    /** The name under which metrics averaged over the fields are reported. */
    public static final String FULL = "full";

    public FieldLayout {
        channels = List.copyOf(channels);
        real = real.clone();
        shape = shape.clone();
        if (real.length != channels.size()) {
            throw new IllegalArgumentException(channels.size() + " channels but " + real.length + " mask entries");
        }
        if (shape.length < 1 || shape.length > 3 || Arrays.stream(shape).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("grid must have 1 to 3 positive axes, got " + Arrays.toString(shape));
        }
        if (channels.contains(FULL)) throw new IllegalArgumentException("a field may not be called \"" + FULL + "\"");
        boolean anyReal = false;
        for (boolean r : real) anyReal |= r;
        if (!anyReal) throw new IllegalArgumentException("no real field among " + channels);
    }

    /** Every channel is a real field. */
    public static FieldLayout allReal(List<String> channels, int[] shape) {
        boolean[] real = new boolean[channels.size()];
        Arrays.fill(real, true);
        return new FieldLayout(channels, real, shape);
    }

    /** The names of the real fields, in channel order. */
    public List<String> fields() {
        List<String> out = new ArrayList<>();
        for (int c : realChannels()) out.add(channels.get(c));
        return out;
    }

    /** Channel index of each real field. */
    public int[] realChannels() {
        int[] out = new int[channels.size()];
        int n = 0;
        for (int c = 0; c < real.length; c++) if (real[c]) out[n++] = c;
        return Arrays.copyOf(out, n);
    }

    public int cells() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Checks that frame holds one array of the grid's size per channel; what names the frame in the message. */
    void check(float[][] frame, String what) {
        if (frame.length != channels.size()) {
            throw new IllegalArgumentException(what + " has " + frame.length + " channels, expected " + channels.size());
        }
        int cells = cells();
        for (int c = 0; c < frame.length; c++) {
            if (real[c] && frame[c].length != cells) {
                throw new IllegalArgumentException(what + " channel " + channels.get(c) + " has " + frame[c].length
                        + " values, grid " + Arrays.toString(shape) + " has " + cells);
            }
        }
    }
}
