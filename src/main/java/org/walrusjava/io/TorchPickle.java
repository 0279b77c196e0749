package org.walrusjava.io;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.walrusjava.tensor.DType;

/**
 * Reads the data.pkl of a torch.save archive into plain Java: dicts become ordered maps and tensors become
 * {@link TensorRef}s that say which storage record holds their bytes. Like torch.load(weights_only=True) it
 * accepts only the few Python callables a state dict needs, so a pickled model class or arbitrary code is
 * reported, never executed.
 */
final class TorchPickle extends Unpickler {
    /** A storage record of the archive: data/&lt;key&gt; holds numel elements of dtype. */
    record StorageRef(String key, DType dtype, long numel) {}

    /** A tensor as data.pkl describes it: a strided view (in elements) of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] strides) {}

    private static final Map<String, Object> GLOBALS = globals();
    private final Map<String, StorageRef> storages = new HashMap<>();

    static Object parse(byte[] pickle) throws IOException {
        TorchPickle p = new TorchPickle();
        try {
            return p.loads(pickle);
        } finally {
            p.close();
        }
    }

    @Override
    protected Object dispatch(short opcode) throws IOException {
        switch (opcode) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                String name = String.valueOf(stack.pop());
                String module = String.valueOf(stack.pop());
                stack.add(global(module, name));
            }
            // Keep dict order (the base class goes through a HashMap): a state dict's order is its module order.
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                if (items.size() % 2 != 0 || !(stack.peek() instanceof Map<?, ?>))
                    throw new PickleException("SETITEMS without a dict and key-value pairs");
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
            }
            case Opcodes.BUILD -> {
                stack.pop();
                // The only object a state dict builds is its OrderedDict, whose state is the per-module
                // "_metadata" (format versions) that loading weights does not need.
                if (!(stack.peek() instanceof Map))
                    throw new PickleException("BUILD of a " + describe(stack.peek()) + " is not part of a state dict");
            }
            default -> {
                return super.dispatch(opcode);
            }
        }
        return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0]))
            throw new PickleException("persistent id " + describe(pid) + " is not a ('storage', ...) record");
        if (!(t[1] instanceof TorchStorageType type)) throw new PickleException("unknown storage type " + describe(t[1]));
        String key = String.valueOf(t[2]);
        long numel = integer(t[4], "storage size");
        StorageRef ref = storages.computeIfAbsent(key, k -> new StorageRef(k, type.dtype, numel));
        if (ref.dtype() != type.dtype || ref.numel() != numel)
            throw new PickleException("storage " + key + " is described twice with different types or sizes");
        return ref;
    }

    private static Object global(String module, String name) {
        Object g = GLOBALS.get(module + "." + name);
        if (g == null && module.equals("torch") && name.endsWith("Storage"))
            throw new PickleException("storage type torch." + name + " is not supported (supported: "
                    + java.util.Arrays.toString(TorchStorageType.values()) + ")");
        if (g == null)
            throw new PickleException("it refers to the Python object " + module + "." + name
                    + ", which a weights-only checkpoint may not contain (save model.state_dict() instead)");
        return g;
    }

    private static Map<String, Object> globals() {
        Map<String, Object> g = new HashMap<>();
        g.put("collections.OrderedDict", (IObjectConstructor) args -> {
            if (args.length != 0) throw new PickleException("OrderedDict with constructor arguments is not supported");
            return new LinkedHashMap<>();
        });
        g.put("torch._utils._rebuild_tensor_v2", (IObjectConstructor) TorchPickle::rebuildTensor);
        g.put("torch._utils._rebuild_parameter", (IObjectConstructor) args -> {
            if (args.length < 1 || !(args[0] instanceof TensorRef))
                throw new PickleException("_rebuild_parameter without a tensor");
            return args[0];
        });
        for (TorchStorageType t : TorchStorageType.values()) g.put("torch." + t.name(), t);
        return g;
    }

    /** torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[, metadata]). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage))
            throw new PickleException("_rebuild_tensor_v2 called without a storage");
        long[] shape = integers(args[2], "tensor size");
        long[] strides = integers(args[3], "tensor stride");
        if (shape.length != strides.length)
            throw new PickleException("tensor size " + describe(args[2]) + " and stride " + describe(args[3])
                    + " differ in length");
        return new TensorRef(storage, integer(args[1], "storage offset"), shape, strides);
    }

    private static long[] integers(Object tuple, String what) {
        if (!(tuple instanceof Object[] items)) throw new PickleException(what + " is not a tuple: " + describe(tuple));
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) out[i] = integer(items[i], what);
        return out;
    }

    private static long integer(Object o, String what) {
        if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0)
            throw new PickleException(what + " is not a non-negative integer: " + describe(o));
        return ((Number) o).longValue();
    }

    private static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Object[] a) return "tuple of " + a.length;
        return o.getClass().getSimpleName() + " " + o;
    }
}
