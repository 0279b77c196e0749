package org.walrusjava.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

final class TmpSt {
    static Map<String, Tensor> read(Path p) throws Exception {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        JsonNode h = new ObjectMapper().readTree(new String(all, 8, (int) n));
        Map<String, Tensor> out = new LinkedHashMap<>();
        var it = h.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode v = e.getValue();
            long[] shape = new long[v.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = v.get("shape").get(i).asLong();
            long a = v.get("data_offsets").get(0).asLong();
            ByteBuffer slice = ByteBuffer.wrap(all, (int) (8 + n + a), (int) (v.get("data_offsets").get(1).asLong() - a)).order(ByteOrder.LITTLE_ENDIAN);
            out.put(e.getKey(), Tensor.copyOf(slice, DType.FLOAT32, shape));
        }
        return out;
    }
}
