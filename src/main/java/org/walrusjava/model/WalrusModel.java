package org.walrusjava.model;

import org.walrusjava.BoundaryCondition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Walrus (the reference's IsotropicModel): normalised history in, normalised next-step increments out.
 *
 * <p>Input x (T, B, C, H, W, D): C channels = the variable fields of every step followed by the constant fields
 * (2-D data carries D = 1), already divided by their per-sample RMS. labels: vocabulary index of each channel.
 * bcs: the first sample's (3, 2) boundary table, used for the whole batch as in the reference. Output
 * (T, B, C, H, W, D): for a causal model every position predicts the increment to the next frame.
 */
public final class WalrusModel extends Module {
    /** Vocabulary indices of the three boundary-flag channels (bias correction, closed, open), spec §1.2.4. */
    private static final long[] FLAG_LABELS = {2, 0, 1};

    private final WalrusConfig config;
    private final StrideTable strideTable;
    private final Slot encoderDummy;
    private final Encoder[] embed = new Encoder[4];
    private final Decoder[] debed = new Decoder[4];
    private final List<Block> blocks = new ArrayList<>();
    private boolean training;

    public WalrusModel(WalrusConfig config, StrideTable strideTable) {
        this.config = config;
        this.strideTable = strideTable;
        encoderDummy = parameter("encoder_dummy", 1);
        Module embeds = child("embed", new Container());
        for (int d : config.includeD()) embed[d] = embeds.add(String.valueOf(d), new Encoder(config));
        Module blockList = child("blocks", new Container());
        int n = config.processorBlocks();
        for (int i = 0; i < n; i++) {
            double rate = n == 1 ? 0 : config.dropPath() * i / (n - 1);
            blocks.add(blockList.add(String.valueOf(i), new Block(config, rate)));
        }
        Module debeds = child("debed", new Container());
        for (int d : config.includeD()) debed[d] = debeds.add(String.valueOf(d), new Decoder(config));
    }

    public WalrusModel(WalrusConfig config) {
        this(config, StrideTable.released());
    }

    public WalrusConfig config() {
        return config;
    }

    /** The parameters' element type (fp32 as released, or bf16 for fast inference). */
    public org.walrusjava.tensor.DType dtype() {
        return encoderDummy.get().dtype();
    }

    /** Where the weights live (inputs are moved there). */
    public org.walrusjava.tensor.Device deviceOfWeights() {
        return encoderDummy.get().device();
    }

    /**
     * Training mode enables drop-path and input field dropout; jitter is independent of it (the released model
     * jitters at inference).
     */
    public void train(boolean on) {
        training = on;
    }

    public Tensor forward(Tensor x, long[] labels, int[][] bcs, Rolls rolls) {
        return forward(x, labels, bcs, rolls, null);
    }

    public Tensor forward(Tensor x, long[] labels, int[][] bcs, Rolls rolls, ForwardTrace trace) {
        Pass pass = encode(x, labels, bcs, rolls, trace);
        return decode(pass, runBlocks(pass, 0, blocks.size(), pass.tokens()));
    }

    /**
     * The output at the last time position alone, (1, B, C, H, W, D): all a prediction step uses, and equal to the
     * last position of {@link #forward}. After the last block's time mixing nothing looks across positions, so
     * that block's space mixing and the decoder run on the last position only (at T = 6 this skips 5/6 of them).
     */
    public Tensor forwardLast(Tensor x, long[] labels, int[][] bcs, Rolls rolls) {
        Pass pass = encode(x, labels, bcs, rolls, null);
        int n = blocks.size();
        if (n == 0) return decode(pass, pass.tokens().narrow(0, pass.tokens().size(0) - 1, 1));
        Tensor h = runBlocks(pass, 0, n - 1, pass.tokens());
        return decode(pass, runBlock(pass, n - 1, h, true));
    }

    /**
     * What the encoder stage fixes for the rest of one forward pass: the tokens, the padding plan to undo and the
     * token rolls of every block (drawn once, so that a block can be run again with the same shifts, as
     * activation checkpointing does).
     */
    public static final class Pass {
        private final Tensor tokens;
        private final int[][] strides;
        private final PatchJitter.Plan plan;
        private final Decoder decoder;
        private final long[] labels;
        private final boolean[] periodic;
        private final long[][] blockShifts;
        private final ForwardTrace trace;

        private Pass(Tensor tokens, int[][] strides, PatchJitter.Plan plan, Decoder decoder, long[] labels,
                boolean[] periodic, long[][] blockShifts, ForwardTrace trace) {
            this.tokens = tokens;
            this.strides = strides;
            this.plan = plan;
            this.decoder = decoder;
            this.labels = labels;
            this.periodic = periodic;
            this.blockShifts = blockShifts;
            this.trace = trace;
        }

        /** Encoder output, channels-last (T, B, h, w, d, hidden): the input of block 0. */
        public Tensor tokens() {
            return tokens;
        }
    }

    public int blockCount() {
        return blocks.size();
    }

    /**
     * A convolution whose kernel is shorter than its stride would silently skip grid points, so a config with small
     * kernels (such as the demo's) refuses the grids whose strides outgrow them.
     */
    private void requireKernelsCoverStrides(long[] grid, int[][] strides) {
        int[][] kernel = config.baseKernel();
        for (int a = 0; a < grid.length; a++)
            for (int stage = 0; stage < 2; stage++)
                if (grid[a] > 1 && kernel[a][stage] < strides[a][stage])
                    throw new UserError("grid " + Arrays.toString(grid) + ": axis " + a + " needs stride "
                            + strides[a][stage] + " in encoder stage " + (stage + 1) + ", larger than this model's kernel "
                            + kernel[a][stage] + " (base_kernel_size3d); use a smaller grid or a model with larger kernels");
    }

    /**
     * §1.2-1.3: drop fields (training), scale by the learned scalar, pad, append boundary flags, roll, encode; then
     * draw the block rolls.
     */
    public Pass encode(Tensor x, long[] labels, int[][] bcs, Rolls rolls, ForwardTrace trace) {
        long[] grid = Arrays.copyOfRange(x.shape(), 3, 6);
        if (labels.length != x.size(2))
            throw new UserError(labels.length + " field indices for " + x.size(2) + " input channels");
        int[][] strides = strideTable.strides(grid);
        requireKernelsCoverStrides(grid, strides);
        Encoder encoder = embed[dimensionKey(grid)];
        Decoder decoder = debed[dimensionKey(grid)];

        Tensor scaled = dropFields(x).mul(encoderDummy.get());
        PatchJitter.Result jittered = PatchJitter.apply(scaled, bcs, strides, config, rolls);
        if (trace != null) trace.record("encoder_input_padded", jittered.padded());

        long[] labelsWithFlags = Arrays.copyOf(labels, labels.length + 3);
        System.arraycopy(FLAG_LABELS, 0, labelsWithFlags, labels.length, 3);
        Tensor tokens = encoder.forward(jittered.padded(), labelsWithFlags, strides);
        if (trace != null) trace.record("encoder_output", tokens);

        // §1.4: blocks work channels-last (T, B, h, w, d, C); periodic token axes are rolled before each block.
        Tensor h = tokens.permute(0, 1, 3, 4, 5, 2);
        long[][] shifts = new long[blocks.size()][3];
        for (int i = 0; i < blocks.size(); i++)
            for (int a = 0; a < 3; a++)
                if (BoundaryCondition.periodic(bcs, a) && config.jitterPatches())
                    shifts[i][a] = rolls.blockRoll(i, 3 + a, (int) h.size(2 + a));
        boolean[] periodic = new boolean[3];
        for (int a = 0; a < 3; a++) periodic[a] = BoundaryCondition.periodic(bcs, a);
        return new Pass(h, strides, jittered.plan(), decoder, labels, periodic, shifts, trace);
    }

    /**
     * §1.2.1 input field dropout, in training only: each input channel of each sample is zeroed over its whole
     * window with probability p = input_field_drop / C, and the others are scaled by 1 / (1 - p) (upstream's
     * dropout3d over (B, C, T*H, W, D), the per-field rate divided by the field count). Labels and targets are left
     * alone, so a dropped field is still predicted and still scored: the model learns to infer it from the others.
     */
    private Tensor dropFields(Tensor x) {
        double p = config.inputFieldDrop() / x.size(2);
        if (!training || p == 0) return x;
        if (p >= 1)
            throw new UserError("model.input_field_drop = " + config.inputFieldDrop() + " would drop each of the "
                    + x.size(2) + " input fields with probability " + p + " (it must stay below the field count)");
        Tensor keep = Tensor.rand(DType.FLOAT32, x.device(), 1, x.size(1), x.size(2), 1, 1, 1).add(1 - p).floor();
        return x.mul(keep.div(1 - p).to(x.dtype()));
    }

    /**
     * Blocks [from, to) on channels-last tokens h; each first rolls the token grid by its shift. The output stays
     * in the rolled coordinates of block to - 1 until {@link #decode} undoes all shifts.
     */
    public Tensor runBlocks(Pass pass, int from, int to, Tensor h) {
        for (int i = from; i < to; i++) {
            h = runBlock(pass, i, h, false);
            if (pass.trace != null && i == 0) pass.trace.record("block0_output", h.permute(0, 1, 5, 2, 3, 4));
        }
        return h;
    }

    private Tensor runBlock(Pass pass, int i, Tensor h, boolean lastPositionOnly) {
        // Each block's temporaries are released as soon as it is done (autograd keeps what backward needs on its
        // own): holding them to the end of the pass took the 1.3B model past 24 GB at 128x128.
        try (NativeScope scope = NativeScope.open()) {
            Tensor rolled = h.roll(pass.blockShifts[i], new long[] {2, 3, 4});
            return scope.keep(blocks.get(i).forward(rolled, training, lastPositionOnly));
        }
    }

    /** Undoes the block rolls, decodes (§1.5) and removes the encoder's padding: (T, B, C, H, W, D). */
    public Tensor decode(Pass pass, Tensor h) {
        long[] total = new long[3];
        for (long[] shift : pass.blockShifts)
            for (int a = 0; a < 3; a++) total[a] -= shift[a];
        h = h.roll(total, new long[] {2, 3, 4});
        Tensor latent = h.permute(0, 1, 5, 2, 3, 4);
        if (!config.causalInTime()) latent = latent.narrow(0, latent.size(0) - 1, 1);
        Tensor decoded = pass.decoder.forward(latent, pass.labels, pass.strides, pass.periodic);
        return PatchJitter.undo(decoded, pass.plan);
    }

    /** Chooses embed.2 or embed.3 by the number of non-singleton axes (override_dimensionality = 0). */
    private int dimensionKey(long[] grid) {
        int real = 0;
        for (long n : grid) if (n != 1) real++;
        if (real >= 4 || embed[real] == null)
            throw new UserError(real + "-D data needs encoder embed." + real + ", which this model does not have "
                    + "(it has " + config.includeD() + ")");
        return real;
    }

    /** A named list of child modules ("embed", "blocks", "debed"). */
    private static final class Container extends Module {}
}
