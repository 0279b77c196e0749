package org.walrusjava.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void savesByExtensionAndLoadsByContent() throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("a.bias", Tensor.of(new float[] {-1, 0.5f}, 2).to(DType.BFLOAT16));

        Path pt = dir.resolve("m.pt");
        Path st = dir.resolve("m.safetensors");
        Checkpoints.save(pt, in);
        Checkpoints.save(st, in);
        assertEquals('P', Files.readAllBytes(pt)[0], "a .pt name gives a torch.save zip");
        assertEquals('{', Files.readAllBytes(st)[8], "a .safetensors name gives a JSON header after the length");

        // Misleading names do not matter when loading: the first bytes decide.
        Path ptNamedOddly = Files.copy(pt, dir.resolve("weights.safetensors.bak"));
        Path stNamedOddly = Files.copy(st, dir.resolve("weights.pt.bak"));
        for (Path f : List.of(pt, st, ptNamedOddly, stNamedOddly)) {
            Map<String, Tensor> out = Checkpoints.load(f);
            assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()), f.toString());
            in.forEach((k, t) -> assertEquals(t.toBytes(), out.get(k).toBytes(), f + " " + k));
        }
        assertEquals(Checkpoints.Format.TORCH, Checkpoints.Format.ofName(Path.of("x/walrus.PTH")));
        UserError e = assertThrows(UserError.class, () -> Checkpoints.save(dir.resolve("m.h5"), in));
        assertEquals(dir.resolve("m.h5") + ": unknown checkpoint extension; use .pt (PyTorch) or .safetensors",
                e.getMessage());
    }
}
