package org.walrusjava.train;

import java.util.List;
import java.util.function.Consumer;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/** Rescales all gradients together so that their joint L2 norm is at most a limit (torch's clip_grad_norm_). */
public final class GradientClipping {
    private GradientClipping() {}

    /** @return the total norm before clipping (NaN or infinite when some gradient is not finite) */
    public static double clip(List<TrainableParameter> parameters, double maxNorm) {
        return clip(parameters, maxNorm, alone -> {});
    }

    /**
     * Clipping when the gradients are spread over processes, each holding those of some parameters and none of the
     * others': {@code sumOverProcesses} sums, in place and over the processes, the vector of each parameter's sum of
     * squares (zero where this process has no gradient), so that every process clips by the same joint norm, the one
     * a single process holding all gradients would find, bit for bit.
     *
     * @return the total norm before clipping (NaN or infinite when some gradient on some process is not finite)
     */
    public static double clip(List<TrainableParameter> parameters, double maxNorm, Consumer<Tensor> sumOverProcesses) {
        double total = norm(parameters, sumOverProcesses);
        // Same guard as PyTorch: the small constant keeps the factor finite for an all-zero gradient.
        double factor = maxNorm / (total + 1e-6);
        if (maxNorm > 0 && factor < 1 && Double.isFinite(total)) {
            try (Autograd off = Autograd.off(); NativeScope s = NativeScope.open()) {
                for (TrainableParameter p : parameters) {
                    Tensor g = p.value().grad();
                    if (g != null) g.mul_(factor);
                }
            }
        }
        return total;
    }

    public static double norm(List<TrainableParameter> parameters) {
        return norm(parameters, alone -> {});
    }

    private static double norm(List<TrainableParameter> parameters, Consumer<Tensor> sumOverProcesses) {
        if (parameters.isEmpty()) return 0;
        try (NativeScope s = NativeScope.open(); Autograd off = Autograd.off()) {
            // One entry per parameter, filled on the device, so that the processes add whole vectors (exactly: each
            // entry is non-zero on one process at most) and only the final vector crosses to the host.
            Tensor squares = Tensor.zeros(DType.FLOAT64, parameters.get(0).value().device(), parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                Tensor g = parameters.get(i).value().grad();
                if (g != null) squares.select(0, i).copy_(g.square().sum());
            }
            sumOverProcesses.accept(squares);
            // added in parameter order, as every process and a single one do alike
            double total = 0;
            for (double sq : squares.toDoubleArray()) total += sq;
            return Math.sqrt(total);
        }
    }
}
