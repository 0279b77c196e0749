package org.walrusjava.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Tensor;

/**
 * Named tensors in either checkpoint format: PyTorch's torch.save (.pt) or safetensors. Loading tells them apart
 * by their first bytes, saving by the file name's extension.
 */
public final class Checkpoints {
    private Checkpoints() {}

    public enum Format {
        TORCH,
        SAFETENSORS;

        /** The format a file name asks for: .safetensors, or .pt / .pth / .bin / .ckpt for PyTorch. */
        public static Format ofName(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".safetensors")) return SAFETENSORS;
            for (String ext : new String[] {".pt", ".pth", ".bin", ".ckpt"}) if (name.endsWith(ext)) return TORCH;
            throw new UserError(file + ": unknown checkpoint extension; use .pt (PyTorch) or .safetensors");
        }
    }

    /** The tensors of a checkpoint (for a PyTorch file, its state dict), viewing the memory-mapped file. */
    public static Map<String, Tensor> load(Path file) {
        FileHead head = FileHead.of(file);
        return head.isZip() || head.isLegacyTorch() ? TorchCheckpoint.read(file) : SafeTensors.read(file);
    }

    /** Writes the tensors atomically in the format the file name asks for. */
    public static void save(Path file, Map<String, Tensor> tensors) {
        switch (Format.ofName(file)) {
            case TORCH -> TorchCheckpoint.write(file, tensors);
            case SAFETENSORS -> SafeTensors.write(file, tensors);
        }
    }
}
