package org.walrusjava.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the data.pkl of a torch.save archive holding a state dict (an OrderedDict of tensors) nested in
 * dicts, e.g. {"app": {"model": state_dict}}, in pickle protocol 2 and only with opcodes and callables that
 * torch.load(weights_only=True) accepts.
 */
final class StateDictPickle {
    private static final int PROTO = 0x80, EMPTY_DICT = '}', EMPTY_TUPLE = ')', MARK = '(', TUPLE = 't';
    private static final int GLOBAL = 'c', REDUCE = 'R', BINPERSID = 'Q', NEWFALSE = 0x89;
    private static final int SETITEM = 's', SETITEMS = 'u', STOP = '.';
    private static final int BINUNICODE = 'X', BININT1 = 'K', BININT2 = 'M', BININT = 'J', LONG1 = 0x8a;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private StateDictPickle() {}

    /** nesting: the keys of the dicts around the state dict, outermost first (empty: the state dict alone). */
    static byte[] encode(List<String> nesting, List<TorchCheckpoint.SavedStorage> storages,
            List<TorchCheckpoint.SavedTensor> tensors) {
        StateDictPickle p = new StateDictPickle();
        p.op(PROTO).op(2);
        for (String key : nesting) p.op(EMPTY_DICT).string(key);
        p.orderedDict().op(MARK);
        for (TorchCheckpoint.SavedTensor t : tensors) {
            TorchCheckpoint.SavedStorage s = storages.get(t.storage());
            p.string(t.key()).global("torch._utils", "_rebuild_tensor_v2").op(MARK);
            p.op(MARK).string("storage").global("torch", TorchStorageType.of(s.dtype()).name())
                    .string(String.valueOf(t.storage())).string("cpu").integer(s.numel()).op(TUPLE).op(BINPERSID);
            p.integer(t.offset()).tuple(t.shape()).tuple(t.strides()).op(NEWFALSE).orderedDict();
            p.op(TUPLE).op(REDUCE);
        }
        p.op(SETITEMS);
        for (int i = 0; i < nesting.size(); i++) p.op(SETITEM);
        p.op(STOP);
        return p.out.toByteArray();
    }

    /** collections.OrderedDict(): also the empty backward-hooks argument of _rebuild_tensor_v2. */
    private StateDictPickle orderedDict() {
        return global("collections", "OrderedDict").op(EMPTY_TUPLE).op(REDUCE);
    }

    private StateDictPickle op(int code) {
        out.write(code);
        return this;
    }

    private StateDictPickle global(String module, String name) {
        op(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private StateDictPickle string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(BINUNICODE).littleEndian(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    private StateDictPickle tuple(long[] values) {
        op(MARK);
        for (long v : values) integer(v);
        return op(TUPLE);
    }

    /** Non-negative integers in the shortest opcode, as Python's pickler chooses them. */
    private StateDictPickle integer(long v) {
        if (v < 0) throw new IllegalArgumentException("negative integer " + v);
        if (v < 0x100) return op(BININT1).littleEndian(v, 1);
        if (v < 0x10000) return op(BININT2).littleEndian(v, 2);
        if (v <= Integer.MAX_VALUE) return op(BININT).littleEndian(v, 4);
        // LONG1: little-endian two's complement; one more byte than the magnitude needs keeps the sign positive.
        int n = (64 - Long.numberOfLeadingZeros(v)) / 8 + 1;
        return op(LONG1).op(n).littleEndian(v, n);
    }

    private StateDictPickle littleEndian(long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        return this;
    }
}
