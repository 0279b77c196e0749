package org.walrusjava.viz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The pictures of a rollout, collected while it runs and written at the end: a panel per chosen step
 * (panels/step_NNNN.png), an animated GIF of every kept step (rollout.gif) and a plot of error curves
 * (vrmse.png). Only a bounded number of steps are kept, evenly spread with the last always included, and only as
 * slices no larger than the picture needs, so long and 3-D rollouts stay small in memory.
 *
 * <p>Truth and prediction of a field share one colour range (the truth's range over all kept steps, so the
 * animation does not flicker and a prediction that runs off shows as saturated colour); errors use a range
 * symmetric about zero per step.
 */
public final class RolloutPictures {
    public static final String GIF = "rollout.gif";
    public static final String PLOT = "vrmse.png";
    public static final String PANEL_FOLDER = "panels";

    /**
     * @param maxFrames most steps kept (the GIF's frames)
     * @param maxPanels most steps written as separate PNG panels
     * @param frameDelayMillis how long the GIF shows each step
     * @param maxSide longest side, in cells, a slice is kept at
     */
    public record Options(int maxFrames, int maxPanels, int frameDelayMillis, int maxSide) {
        public Options {
            if (maxFrames < 1 || maxPanels < 0 || frameDelayMillis < 10 || maxSide < 8) {
                throw new IllegalArgumentException("bad picture options " + maxFrames + "/" + maxPanels + "/"
                        + frameDelayMillis + "/" + maxSide);
            }
        }

        public static Options defaults() {
            return new Options(100, 8, 250, 256);
        }
    }

    /** Relative paths of what {@link #write} produced (empty / absent when there was nothing to draw). */
    public record Written(List<String> panels, List<Integer> panelSteps, Optional<String> gif, Optional<String> plot) {}

    private record Kept(int step, List<List<Slice>> truth, List<List<Slice>> prediction,
                        Optional<List<List<Slice>>> spread) {}

    private final List<String> fields;
    private final int[] shape;
    private final int plannedSteps;
    private final int stride;
    private final Options options;
    private final List<Kept> kept = new ArrayList<>();

    /** fields: the names of the fields drawn; shape: their grid; plannedSteps: how long the rollout should run. */
    public RolloutPictures(List<String> fields, int[] shape, int plannedSteps, Options options) {
        if (fields.isEmpty()) throw new IllegalArgumentException("nothing to draw: no fields");
        if (plannedSteps < 1) throw new IllegalArgumentException("a rollout has at least one step, got " + plannedSteps);
        this.fields = List.copyOf(fields);
        this.shape = shape.clone();
        this.plannedSteps = plannedSteps;
        this.options = options;
        this.stride = (plannedSteps + options.maxFrames() - 1) / options.maxFrames();
    }

    /** Whether {@link #add} keeps this step (0-based); callers can skip assembling frames that are not kept. */
    public boolean keeps(int step) {
        return step % stride == 0 || step == plannedSteps - 1;
    }

    /**
     * Offers one step: per field (in the constructor's order) the true and the predicted values, and optionally the
     * ensemble spread (null when there is no ensemble). Steps that {@link #keeps} rejects are ignored.
     */
    public void add(int step, List<float[]> truth, List<float[]> prediction, List<float[]> spread) {
        if (!keeps(step)) return;
        if (truth.size() != fields.size() || prediction.size() != fields.size()
                || (spread != null && spread.size() != fields.size())) {
            throw new IllegalArgumentException("step " + step + ": expected one array per field " + fields);
        }
        Optional<List<List<Slice>>> spreadSlices = spread == null ? Optional.empty() : Optional.of(slices(spread));
        kept.add(new Kept(step, slices(truth), slices(prediction), spreadSlices));
    }

    /** Writes the panels and the GIF (when a step was kept) and the plot (when there are curves) into dir. */
    public Written write(Path dir, List<LinePlot.Series> curves) {
        List<ValueRange> ranges = valueRanges();
        List<String> panels = new ArrayList<>();
        List<Integer> panelSteps = new ArrayList<>();
        for (int index : panelIndices()) {
            Kept k = kept.get(index);
            String name = PANEL_FOLDER + "/step_" + String.format("%04d", k.step() + 1) + ".png";
            PngFile.write(dir.resolve(name), panel(k, ranges).render());
            panels.add(name);
            panelSteps.add(k.step());
        }
        Optional<String> gif = Optional.empty();
        if (!kept.isEmpty()) {
            GifAnimation.write(dir.resolve(GIF), kept.size(), i -> panel(kept.get(i), ranges).render(),
                    options.frameDelayMillis());
            gif = Optional.of(GIF);
        }
        Optional<String> plot = Optional.empty();
        if (!curves.isEmpty()) {
            PngFile.write(dir.resolve(PLOT), new LinePlot("VRMSE per field", "VRMSE (log scale)", curves, 900, 520).render());
            plot = Optional.of(PLOT);
        }
        return new Written(panels, panelSteps, gif, plot);
    }

    /** The panel of a kept step: one row per field and plane. */
    private FieldPanel panel(Kept k, List<ValueRange> ranges) {
        List<FieldPanel.Row> rows = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            List<Slice> truth = k.truth().get(f);
            for (int p = 0; p < truth.size(); p++) {
                int field = f;
                int plane = p;
                Optional<Slice> spread = k.spread().map(s -> s.get(field).get(plane));
                rows.add(FieldPanel.Row.of(fields.get(f), truth.get(p), k.prediction().get(f).get(p), spread,
                        ranges.get(f)));
            }
        }
        return new FieldPanel("step " + (k.step() + 1), rows);
    }

    private List<List<Slice>> slices(List<float[]> perField) {
        List<List<Slice>> out = new ArrayList<>();
        for (float[] values : perField) {
            out.add(Slice.midPlanes(values, shape).stream().map(s -> s.downsampled(options.maxSide())).toList());
        }
        return out;
    }

    /** Per field, the range of the truth over every kept step and plane. */
    private List<ValueRange> valueRanges() {
        List<ValueRange> out = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            int field = f;
            float[][] all = kept.stream().flatMap(k -> k.truth().get(field).stream()).map(Slice::values)
                    .toArray(float[][]::new);
            out.add(ValueRange.of(all));
        }
        return out;
    }

    /** Up to maxPanels kept frames, evenly spread, first and last included. */
    private int[] panelIndices() {
        int n = kept.size();
        int panels = Math.min(n, options.maxPanels());
        if (panels == 0) return new int[0];
        if (panels == 1) return new int[] {n - 1};
        return IntStream.range(0, panels)
                .map(i -> (int) Math.round((double) i * (n - 1) / (panels - 1))).distinct().toArray();
    }
}
