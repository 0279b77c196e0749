package org.walrusjava.cli;

import java.nio.file.Path;
import org.walrusjava.UserError;
import org.walrusjava.api.Walrus;
import org.walrusjava.tensor.DType;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that runs the model shares: which weights, which config, how to run them. */
final class CheckpointOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT",
            description = "Weights: the released walrus.pt (torch.save) or a .safetensors file.")
    Path checkpoint;

    @Option(names = "--config", required = true, paramLabel = "CFG",
            description = "The checkpoint's extended_config.yaml (architecture, field vocabulary, dataset options).")
    Path config;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "Weights and activations: fp32 (as released, default) or bf16 (faster, less exact).")
    String dtype;

    @Mixin
    DeviceOption device;

    @Option(names = "--extended-strides",
            description = "Accept grid sizes the released stride table lacks (64 points in 2-D, 32 in 3-D).")
    boolean extendedStrides;

    Walrus load() {
        DType type;
        try {
            type = DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (type != DType.FLOAT32 && type != DType.BFLOAT16) {
            throw new UserError("--dtype must be fp32 or bf16, got " + dtype);
        }
        return Walrus.load(checkpoint, config, new Walrus.Options(type, device.parse(), extendedStrides));
    }
}
