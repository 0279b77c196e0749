package org.walrusjava.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.io.ExperimentConfig;
import org.walrusjava.model.ForwardTrace;
import org.walrusjava.model.Predictor;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.StrideTable;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * The public Java entry point: a Walrus model loaded from a checkpoint and its config, ready to predict.
 *
 * <pre>{@code
 * try (Walrus walrus = Walrus.load(Path.of("walrus.pt"), Path.of("extended_config.yaml"));
 *      NativeScope scope = NativeScope.open()) {
 *     CaseSpec c = CaseSpec.read(Path.of("case.json"));
 *     Tensor window = SafeTensors.read(Path.of("in.safetensors")).get("raw_input");
 *     Tensor next = walrus.predict(window, c, Rolls.seeded(0));   // (1, B, C_var, H, W, D)
 * }
 * }</pre>
 *
 * <p>A Walrus owns its weights whatever scopes are open while it loads, and frees them when it closes. The tensors
 * its methods return are the caller's: they belong to the innermost {@link NativeScope} open on the calling thread,
 * or, with none open, to the caller, who closes them. Each call frees everything else it made before it returns.
 */
public final class Walrus implements AutoCloseable {
    /**
     * @param dtype fp32 (the released weights) or bf16 (about 4x faster on CPUs with AMX, slightly less exact)
     * @param extendedStrides also accept grid sizes the released stride table lacks (64 points in 2-D, 32 in 3-D)
     */
    public record Options(DType dtype, Device device, boolean extendedStrides) {
        public static Options defaults() {
            return new Options(DType.FLOAT32, Device.CPU, false);
        }
    }

    private final ExperimentConfig config;
    private final WalrusModel model;
    private final Predictor predictor;
    private boolean closed;

    private Walrus(ExperimentConfig config, WalrusModel model) {
        this.config = config;
        this.model = model;
        this.predictor = new Predictor(model);
    }

    public static Walrus load(Path checkpoint, Path config) {
        return load(checkpoint, config, Options.defaults());
    }

    public static Walrus load(Path checkpoint, Path configFile, Options options) {
        ExperimentConfig config = ExperimentConfig.load(configFile);
        if (!Files.isRegularFile(checkpoint)) throw new UserError(checkpoint + ": checkpoint file not found");
        WalrusModel model = new WalrusModel(config.model(),
                options.extendedStrides() ? StrideTable.extended() : StrideTable.released());
        // The checkpoint's handles (and the one to the whole mapped file) go with this scope: the model keeps its own.
        try (NativeScope scope = NativeScope.open()) {
            model.load(Checkpoints.load(checkpoint), options.dtype(), options.device(), checkpoint.toString());
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
        return new Walrus(config, model);
    }

    /** Wraps a model built elsewhere (a training run, a test); closing the Walrus closes the model. */
    public static Walrus of(ExperimentConfig config, WalrusModel model) {
        return new Walrus(config, model);
    }

    public ExperimentConfig config() {
        return config;
    }

    /** The model, owned by this Walrus (valid until it closes). */
    public WalrusModel model() {
        requireOpen();
        return model;
    }

    public Predictor predictor() {
        requireOpen();
        return predictor;
    }

    /**
     * The next frame (1, B, C_var, H, W, D) in physical units, padded components zero: the caller's, in the
     * innermost open scope or else to close (see the class comment). Its temporaries are freed before it returns.
     */
    public Tensor predict(Tensor raw, CaseSpec c, Rolls rolls) {
        requireOpen();
        try (NativeScope scope = NativeScope.open(); Autograd off = Autograd.off()) {
            validate(raw, c);
            return scope.keep(predictor.next(raw.to(model.deviceOfWeights()), c.fieldIndices(), c.bcs(),
                    c.variableChannels(), c.paddedFieldMask(), rolls));
        }
    }

    /**
     * The next frame after a window of Well data (1, 1, C_var, H, W, D), in model space (the window's channels and
     * field transforms), padded components and solid cells zero; the caller's, like {@link #predict(Tensor,
     * CaseSpec, Rolls)}'s.
     */
    public Tensor predict(WellWindow window, Rolls rolls) {
        try (NativeScope scope = NativeScope.open()) {
            Tensor next = predict(window.raw(), window.caseSpec(), rolls);
            return scope.keep(window.solid() == null ? next : next.mul(window.solid().to(next.device()).neg().add(1)));
        }
    }

    /**
     * One forward pass with its intermediates, under the names the reference fixtures use: sample_rms, delta_rms,
     * normalized_input, encoder_input_padded, encoder_output, block0_output, model_output, pred_next_frame. The
     * tensors are the caller's, like {@link #predict(Tensor, CaseSpec, Rolls)}'s.
     */
    public Map<String, Tensor> trace(Tensor raw, CaseSpec c, Rolls rolls) {
        requireOpen();
        try (NativeScope scope = NativeScope.open(); Autograd off = Autograd.off()) {
            validate(raw, c);
            ForwardTrace trace = new ForwardTrace();
            Predictor.Step s = predictor.step(raw.to(model.deviceOfWeights()), c.fieldIndices(), c.bcs(),
                    c.variableChannels(), c.paddedFieldMask(), rolls, trace);
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("sample_rms", s.stats().sampleRms());
            out.put("delta_rms", s.stats().deltaRms());
            out.put("normalized_input", s.normalizedInput());
            out.putAll(trace.tensors());
            out.put("model_output", s.modelOutput());
            out.put("pred_next_frame", s.nextFrame());
            out.replaceAll((name, t) -> scope.keep(t));
            return out;
        }
    }

    /** Frees the weights; the Walrus cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        model.close();
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("this Walrus is closed");
    }

    /** Checks that an input fits its case and the model: shape, field names and indices, finite values. */
    void validate(Tensor raw, CaseSpec c) {
        long[] want = c.inputShape();
        if (!Arrays.equals(raw.shape(), want))
            throw new UserError("input has shape " + Arrays.toString(raw.shape()) + " but the case describes "
                    + Arrays.toString(want) + " (T, B, C, H, W, D)");
        c.checkFieldNames(config.vocabulary(), "case");
        if (!raw.allFinite()) throw new UserError("input contains NaN or Inf values");
    }
}
