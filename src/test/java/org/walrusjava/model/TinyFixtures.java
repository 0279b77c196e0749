package org.walrusjava.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.walrusjava.api.CaseSpec;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.io.TorchCheckpoint;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/** The walrus-tiny fixtures: reference tensors from the PyTorch implementation, and the tiny weights. */
public final class TinyFixtures {
    public static final Path DIR = Path.of(System.getProperty("walrus.fixtures", "../shared/fixtures"), "walrus-tiny");

    private TinyFixtures() {}

    public static WalrusConfig config() {
        return new WalrusConfig(64, 16, 2, 4, 4, 67, 16, true, true, true, java.util.List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, 0.0, 0);
    }

    public static WalrusModel model() {
        WalrusModel m = new WalrusModel(config());
        m.load(TorchCheckpoint.read(DIR.resolve("walrus.pt")), DType.FLOAT32, Device.CPU, "walrus.pt");
        return m;
    }

    public static Map<String, Tensor> tensors(String file) {
        return SafeTensors.read(DIR.resolve(file));
    }

    public static JsonNode cases() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CaseSpec caseSpec(String name) {
        return CaseSpec.parse(cases().get("cases").get(name), "cases.json/" + name);
    }

    /** max |ours - ref| <= atol + rtol * max |ref|, with a message naming the tensor and the numbers. */
    public static void assertClose(String name, Tensor ref, Tensor ours, double atol, double rtol) {
        if (!Arrays.equals(ref.shape(), ours.shape()))
            throw new AssertionError(name + ": shape " + Arrays.toString(ours.shape()) + " vs reference "
                    + Arrays.toString(ref.shape()));
        float[] r = ref.toFloatArray(), o = ours.toFloatArray();
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < r.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(r[i]));
            maxDiff = Math.max(maxDiff, Math.abs(r[i] - o[i]));
        }
        double tol = atol + rtol * maxRef;
        if (!(maxDiff <= tol))
            throw new AssertionError(name + ": max |diff| " + maxDiff + " > " + tol + " (max |ref| " + maxRef + ")");
    }
}
