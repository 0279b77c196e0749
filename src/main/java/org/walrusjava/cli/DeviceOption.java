package org.walrusjava.cli;

import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;
import picocli.CommandLine.Option;

/** `--device`, shared by every command that runs a model. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV",
            description = "cpu (default), cuda or cuda:N (CUDA needs the gpu build and is untested); with several "
                    + "ranks on a node, cuda is each rank's own GPU, cuda:LOCAL_RANK.")
    String device;

    /** The device as given, checked and in lower case: plain "cuda" stays so, for each rank to map to its own GPU. */
    String text() {
        parse();
        return device.trim().toLowerCase();
    }

    Device parse() {
        try {
            return Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new UserError("--device: " + e.getMessage());
        }
    }
}
