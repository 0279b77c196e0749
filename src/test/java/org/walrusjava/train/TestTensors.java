package org.walrusjava.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.walrusjava.data.FieldVocabulary;
import org.walrusjava.io.Checkpoints;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/** Fixture access for training tests. */
final class TestTensors {
    static final Path FIXTURES = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");
    static final Path TINY_WEIGHTS = FIXTURES.resolve("walrus.pt");

    private TestTensors() {}

    static WalrusConfig tinyConfig() {
        return tinyConfig(true, 0.0);
    }

    static WalrusConfig tinyConfig(boolean causalInTime, double inputFieldDrop) {
        return new WalrusConfig(64, 16, 2, 4, 4, 67, 16, causalInTime, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, inputFieldDrop, 0);
    }

    /** The tiny fixture model with its own (writable) copy of the weights. */
    static WalrusModel tinyModel() throws IOException {
        return tinyModel(tinyConfig());
    }

    /** The tiny fixture weights in a model of another configuration of the same architecture. */
    static WalrusModel tinyModel(WalrusConfig config) throws IOException {
        WalrusModel model = new WalrusModel(config);
        model.load(read(TINY_WEIGHTS), DType.FLOAT32, Device.CPU, TINY_WEIGHTS.toString());
        model.materialize();
        return model;
    }

    static Map<String, Tensor> fixture(String name) throws IOException {
        return read(FIXTURES.resolve(name));
    }

    static Map<String, Tensor> read(Path p) {
        return Checkpoints.load(p);
    }

    /** The released 67-entry field vocabulary, index -> name. */
    static List<String> vocabulary() {
        return FieldVocabulary.released().names();
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
