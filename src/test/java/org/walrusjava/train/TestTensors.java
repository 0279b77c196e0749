package org.walrusjava.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/** Fixture access for training tests (temporary float32 safetensors reader until io.SafeTensors is merged). */
final class TestTensors {
    static final Path FIXTURES = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");
    static final Path TINY_WEIGHTS = Path.of("/work/tiny.safetensors");

    private TestTensors() {}

    static WalrusConfig tinyConfig() {
        return new WalrusConfig(64, 16, 2, 4, 4, 67, 16, true, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, 0.0, 0);
    }

    /** The tiny fixture model with its own (writable) copy of the weights. */
    static WalrusModel tinyModel() throws IOException {
        WalrusModel model = new WalrusModel(tinyConfig());
        model.load(read(TINY_WEIGHTS), DType.FLOAT32, Device.CPU, TINY_WEIGHTS.toString());
        model.materialize();
        return model;
    }

    static Map<String, Tensor> fixture(String name) throws IOException {
        return read(FIXTURES.resolve(name));
    }

    static Map<String, Tensor> read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) n));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : header.properties()) {
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode v = e.getValue();
            long[] shape = new long[v.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = v.get("shape").get(i).asLong();
            long a = v.get("data_offsets").get(0).asLong(), b = v.get("data_offsets").get(1).asLong();
            ByteBuffer slice = ByteBuffer.wrap(all, (int) (8 + n + a), (int) (b - a)).order(ByteOrder.LITTLE_ENDIAN);
            out.put(e.getKey(), Tensor.copyOf(slice, DType.fromSafetensors(v.get("dtype").asText()), shape));
        }
        return out;
    }

    /** The released 67-entry field vocabulary, index -> name (cases.json). */
    static List<String> vocabulary() throws IOException {
        JsonNode v = new ObjectMapper().readTree(FIXTURES.resolve("cases.json").toFile()).get("vocabulary");
        List<String> names = new java.util.ArrayList<>();
        v.forEach(n -> names.add(n.asText()));
        return names;
    }

    /** max |a - b| over all elements. */
    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        if (x.length != y.length) throw new AssertionError(x.length + " vs " + y.length + " elements");
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return m;
    }

    static double maxAbs(Tensor a) {
        double m = 0;
        for (float v : a.toFloatArray()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
