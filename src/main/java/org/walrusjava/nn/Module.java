package org.walrusjava.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.walrusjava.UserError;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * A building block with named parameters and children, addressed by dotted state-dict keys exactly as the
 * PyTorch reference names them ("blocks.3.space_mixing.q_norm.weight"). Parameters are held by slot so that
 * loading can swap in tensors that view a memory-mapped checkpoint instead of copying them.
 *
 * <p>A module owns its tensors: each slot holds a handle of its own that belongs to no {@code NativeScope}, so a
 * model built or loaded inside a caller's scope outlives it. {@link #close()} frees them.
 */
public abstract class Module implements AutoCloseable {
    /** Slots and children in registration order, which is the state-dict order PyTorch produces. */
    private final Map<String, Object> entries = new LinkedHashMap<>();

    /** A named tensor of a module: trainable parameter or persistent buffer. */
    public static final class Slot {
        final long[] shape;
        final boolean trainable;
        Tensor value;

        Slot(long[] shape, boolean trainable) {
            this.shape = shape;
            this.trainable = trainable;
        }

        /** The slot's own handle: valid until the slot is set again or its module closes; not to be closed. */
        public Tensor get() {
            return value;
        }

        public long[] shape() {
            return shape.clone();
        }

        public boolean trainable() {
            return trainable;
        }

        /** Holds t's data through a handle of the slot's own and frees the one it held; t stays the caller's. */
        public void set(Tensor t) {
            Tensor previous = value;
            value = t.owned();
            if (previous != null) previous.close();
        }
    }

    protected final Slot parameter(String name, long... shape) {
        Slot s = new Slot(shape, true);
        entries.put(name, s);
        return s;
    }

    protected final Slot buffer(String name, long... shape) {
        Slot s = new Slot(shape, false);
        entries.put(name, s);
        return s;
    }

    protected final <M extends Module> M child(String name, M module) {
        entries.put(name, module);
        return module;
    }

    /** Adds a child from outside (for plain containers such as a list of blocks). */
    public final <M extends Module> M add(String name, M module) {
        return child(name, module);
    }

    /** Every slot of this module and its descendants, by full key, in registration order. */
    public final Map<String, Slot> slots() {
        Map<String, Slot> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Slot> out) {
        entries.forEach((k, v) -> {
            if (v instanceof Slot s) out.put(prefix + k, s);
            else ((Module) v).collect(prefix + k + ".", out);
        });
    }

    /** Key to expected shape, without touching any weight (used by `walrus summary`). */
    public final Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        slots().forEach((k, s) -> out.put(k, s.shape.clone()));
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Slot s : slots().values()) if (s.trainable) n += numel(s.shape);
        return n;
    }

    /** Current tensors by key (parameters and buffers): the slots' own handles, see {@link Slot#get()}. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        slots().forEach((k, s) -> out.put(k, s.value));
        return out;
    }

    /**
     * Installs the given tensors (converted to dtype on device; no copy when they already match, so mapped
     * checkpoint storage is used in place). Every missing, unexpected or mis-shaped key is named in one error.
     */
    public final void load(Map<String, Tensor> weights, DType dtype, Device device, String source) {
        Map<String, Slot> mine = slots();
        TreeSet<String> missing = new TreeSet<>(mine.keySet());
        missing.removeAll(weights.keySet());
        TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(mine.keySet());
        List<String> misShaped = new ArrayList<>();
        for (var e : mine.entrySet()) {
            Tensor w = weights.get(e.getKey());
            if (w != null && !Arrays.equals(w.shape(), e.getValue().shape))
                misShaped.add(e.getKey() + " " + Arrays.toString(w.shape()) + " (expected "
                        + Arrays.toString(e.getValue().shape) + ")");
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder sb = new StringBuilder(source + ": checkpoint does not match the model config:");
            if (!missing.isEmpty()) sb.append(" missing keys ").append(abbreviate(missing));
            if (!unexpected.isEmpty()) sb.append("; unexpected keys ").append(abbreviate(unexpected));
            if (!misShaped.isEmpty()) sb.append("; mis-shaped ").append(abbreviate(misShaped));
            throw new UserError(sb.toString());
        }
        for (var e : mine.entrySet()) {
            // A scope per tensor frees each conversion's intermediates before the next one: moving the 1.3B model to
            // a GPU in bf16 would otherwise hold a 2.6 GB bf16 copy of it in host memory until the end.
            try (NativeScope scope = NativeScope.open()) {
                Tensor w = weights.get(e.getKey());
                e.getValue().set(w.dtype() == dtype && w.device().equals(device) ? w : w.to(dtype).to(device));
            }
        }
    }

    /** Fresh copies of all tensors (for training, where mapped read-only storage must not be written). */
    public final void materialize() {
        for (Slot s : slots().values()) {
            if (s.value == null) continue;
            try (NativeScope scope = NativeScope.open()) {
                s.set(s.value.copy());
            }
        }
    }

    /** Frees every parameter and buffer of this module and its children; the slots are empty afterwards. */
    @Override
    public void close() {
        for (Slot s : slots().values()) {
            if (s.value != null) s.value.close();
            s.value = null;
        }
    }

    private static String abbreviate(java.util.Collection<String> keys) {
        List<String> l = new ArrayList<>(keys);
        if (l.size() <= 12) return l.toString();
        return l.subList(0, 12) + " and " + (l.size() - 12) + " more";
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
