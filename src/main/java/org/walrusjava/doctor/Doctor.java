package org.walrusjava.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.walrusjava.api.CaseSpec;
import org.walrusjava.api.Walrus;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.Rolls;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.ConvolutionCheck;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.Batch;
import org.walrusjava.train.Loss;

/**
 * The checks {@code walrus doctor} runs on a new machine: the kernels the model depends on (convolutions, matrix
 * products, attention) in fp32 and bf16 against float64, then the tiny reference cases of the PyTorch
 * implementation (a: 2-D, v2: 3-D, d: the training loss and every gradient) end to end. They run on the kernels
 * this process would use, so they pass where the convolution fallback covers for libtorch and fail where it is
 * switched off ({@code WALRUS_CONV_CHECK=off}) on a machine whose libtorch is wrong.
 */
public final class Doctor {
    /** One check's outcome: its largest error relative to the largest reference value, and the bound it must meet. */
    public record Check(String name, double maxError, double tolerance, String detail) {
        public boolean passed() {
            return maxError <= tolerance; // false for NaN
        }
    }

    /** The resource folder holding the bundled reference cases (a subset of the walrus-tiny fixtures). */
    static final String BUNDLE = "/org/walrusjava/doctor/";
    private static final String[] BUNDLED_FILES = {"walrus.pt", "extended_config.yaml", "cases.json",
            "case_a.safetensors", "case_v2.safetensors", "case_d_train.safetensors", "case_d_grads.safetensors"};

    private Doctor() {}

    /** Every check on {@code device}, each reported to {@code progress} as it ends, with the bundled cases. */
    public static List<Check> run(Device device, Consumer<Check> progress) {
        Path dir = extractBundle();
        try {
            return run(device, dir, progress);
        } finally {
            deleteTree(dir);
        }
    }

    /** Every check, with the reference cases read from the folder {@code cases} (the bundle's files and layout). */
    public static List<Check> run(Device device, Path cases, Consumer<Check> progress) {
        List<Check> all = new ArrayList<>();
        Consumer<Check> add = c -> {
            all.add(c);
            progress.accept(c);
        };
        for (DType dtype : new DType[] {DType.FLOAT32, DType.BFLOAT16}) {
            add.accept(convolutions(device, dtype));
            add.accept(matrixProducts(device, dtype));
            add.accept(attention(device, dtype));
        }
        JsonNode spec = readJson(cases.resolve("cases.json")).get("cases");
        for (DType dtype : new DType[] {DType.FLOAT32, DType.BFLOAT16}) {
            try (Walrus walrus = load(cases, dtype, device)) {
                for (String name : new String[] {"a", "v2"}) add.accept(forwardCase(walrus, spec, cases, name, dtype));
            }
        }
        add.accept(gradientCase(cases, spec.get("d"), device));
        return all;
    }

    // ---------------------------------------------------------------- kernels

    /**
     * The screening set of {@link ConvolutionCheck} on the kernels this process runs them with: output and all
     * three gradients against float64.
     */
    static Check convolutions(Device device, DType dtype) {
        double worst = 0, tol = 0;
        String worstSig = "";
        for (ConvolutionCheck.Signature sig : ConvolutionCheck.screeningSet(device, dtype)) {
            ConvolutionCheck.Choice choice = ConvolutionCheck.choose(sig);
            // The probe that chose the kernel, where one ran (none runs under WALRUS_CONV_CHECK=off).
            ConvolutionCheck.Probe p = choice.kernel() == ConvolutionCheck.Kernel.UNFOLD ? choice.unfold()
                    : choice.libtorch();
            if (p == null) p = ConvolutionCheck.probe(sig, choice.kernel());
            tol = p.tolerance();
            if (!(p.worst() <= worst)) {
                worst = p.worst();
                worstSig = sig.describe();
            }
        }
        String kernels = switch (ConvolutionCheck.policy()) {
            case OFF -> "libtorch's kernels, unverified (WALRUS_CONV_CHECK=off)";
            case FALLBACK -> "walrus-java's kernels (WALRUS_CONV_CHECK=fallback)";
            case VERIFY -> ConvolutionCheck.distrusted(device)
                    ? "walrus-java's kernels: libtorch's failed verification on this machine"
                    : "libtorch's kernels, verified";
        };
        return new Check("convolutions " + name(dtype), worst, tol, kernels + "; worst: " + worstSig);
    }

    /** A projection large enough for the row-split path and a small one, against float64. */
    static Check matrixProducts(Device device, DType dtype) {
        double worst = 0;
        try (NativeScope s = NativeScope.open(); Autograd off = Autograd.off()) {
            SplittableRandom random = new SplittableRandom(11);
            for (long[] mnk : new long[][] {{768, 1408, 1056}, {48, 40, 64}}) {
                Tensor x = Tensor.uniform(random, dtype, device, mnk[0], mnk[2]);
                Tensor w = Tensor.uniform(random, dtype, device, mnk[1], mnk[2]);
                Tensor b = Tensor.uniform(random, dtype, device, mnk[1]);
                Tensor ref = f64(x).matmul(f64(w).transpose(0, 1)).add(f64(b));
                worst = worse(worst, x.linear(w, b).relativeErrorTo(ref));
            }
        }
        return new Check("matrix products " + name(dtype), worst, dtype == DType.FLOAT32 ? 1e-5 : 1e-2,
                "768x1056 by 1056x1408 and 48x64 by 64x40, with bias");
    }

    /** Masked scaled-dot-product attention against softmax(QK^T s + mask) V in float64. */
    static Check attention(Device device, DType dtype) {
        try (NativeScope s = NativeScope.open(); Autograd off = Autograd.off()) {
            SplittableRandom random = new SplittableRandom(13);
            long heads = 4, length = 100, width = 16;
            Tensor q = Tensor.uniform(random, dtype, device, 2, heads, length, width);
            Tensor k = Tensor.uniform(random, dtype, device, 2, heads, length, width);
            Tensor v = Tensor.uniform(random, dtype, device, 2, heads, length, width);
            Tensor mask = Tensor.uniform(random, DType.FLOAT32, device, 1, heads, length, length);
            double scale = 1 / Math.sqrt(width);
            Tensor scores = f64(q).matmul(f64(k).transpose(2, 3)).mul(scale).add(f64(mask));
            Tensor weights = scores.sub(scores.amax(new long[] {3}, true)).exp();
            Tensor ref = weights.div(weights.sum(new long[] {3}, true)).matmul(f64(v));
            double e = Tensor.attention(q, k, v, mask.to(dtype), scale).relativeErrorTo(ref);
            return new Check("attention " + name(dtype), e, dtype == DType.FLOAT32 ? 1e-5 : 2e-2,
                    "2x4 heads of 100 tokens x 16, additive mask");
        }
    }

    // ---------------------------------------------------------------- reference cases

    private static Walrus load(Path cases, DType dtype, Device device) {
        return Walrus.load(cases.resolve("walrus.pt"), cases.resolve("extended_config.yaml"),
                new Walrus.Options(dtype, device, false));
    }

    /**
     * The next frame of a reference case with its recorded rolls. fp32 must match to 2e-5 (the parity tests'
     * bound); bf16 keeps 8 mantissa bits, and 1% of the output's range is what it reaches on the 2-D case.
     */
    static Check forwardCase(Walrus walrus, JsonNode spec, Path cases, String name, DType dtype) {
        CaseSpec c = CaseSpec.parse(spec.get(name), "cases.json/" + name);
        Map<String, Tensor> ref = SafeTensors.read(cases.resolve("case_" + name + ".safetensors"));
        try (NativeScope s = NativeScope.open()) {
            Tensor next = walrus.predict(ref.get("raw_input"), c, c.recordedRolls());
            double e = next.relativeErrorTo(ref.get("pred_next_frame"));
            String what = name.equals("a") ? "2-D 32x32, periodic" : "3-D 16^3, wall/periodic/open, tensor field";
            return new Check("case " + name + " " + name(dtype), e, dtype == DType.FLOAT32 ? 2e-5 : 2e-2,
                    "next frame of the reference's " + what);
        }
    }

    /** Fixture case d: the training loss and the gradient of every parameter, through autograd, in fp32. */
    static Check gradientCase(Path cases, JsonNode d, Device device) {
        Map<String, Tensor> train = SafeTensors.read(cases.resolve("case_d_train.safetensors"));
        Map<String, Tensor> grads = SafeTensors.read(cases.resolve("case_d_grads.safetensors"));
        CaseSpec c = CaseSpec.parse(d, "cases.json/d");
        try (Walrus walrus = load(cases, DType.FLOAT32, device); NativeScope s = NativeScope.open();
             Autograd on = Autograd.on()) {
            var model = walrus.model();
            for (Module.Slot slot : model.slots().values()) if (slot.trainable()) slot.get().requiresGrad(true);
            model.train(true);
            Batch batch = new Batch(train.get("raw_input").to(device), train.get("target_next_frame").to(device),
                    c.fieldIndices(), c.bcs(), c.paddedFieldMask(), "case_d");
            Loss.Result result = Loss.of(model, batch, Rolls.zero(), Loss.MINIMUM_CONTEXT);
            result.lossX100().sum().backward();
            double expected = train.get("loss_x100").itemDouble();
            double worst = Math.abs(result.lossX100().itemDouble() - expected) / Math.abs(expected);
            int compared = 0;
            for (var e : model.slots().entrySet()) {
                Tensor reference = grads.get(e.getKey());
                // The time-attention key-norm bias gradient is zero in exact arithmetic (spec, Corrections 7).
                if (reference == null || e.getKey().endsWith("time_mixing.knorm.bias")) continue;
                Tensor ours = e.getValue().get().grad();
                worst = worse(worst, ours == null ? Double.NaN : ours.relativeErrorTo(reference));
                compared++;
            }
            return new Check("case d gradients fp32", worst, 5e-5,
                    "training loss and " + compared + " parameter gradients of the reference trainer");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The bundled reference cases, unpacked into a new temporary folder. */
    static Path extractBundle() {
        try {
            Path dir = Files.createTempDirectory("walrus-doctor");
            for (String f : BUNDLED_FILES)
                try (InputStream in = Doctor.class.getResourceAsStream(BUNDLE + f)) {
                    if (in == null) throw new IllegalStateException("the bundled reference file " + f + " is missing");
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled reference cases: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor f64(Tensor t) {
        return t.to(Device.CPU).to(DType.FLOAT64);
    }

    private static double worse(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    private static String name(DType dtype) {
        return dtype == DType.FLOAT32 ? "fp32" : "bf16";
    }
}
