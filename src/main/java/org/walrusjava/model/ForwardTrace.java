package org.walrusjava.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.tensor.Tensor;

/** Collects named intermediates of one forward pass (`walrus trace`, parity tests). */
public final class ForwardTrace {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public void record(String name, Tensor value) {
        tensors.put(name, value.detach().contiguous());
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }
}
