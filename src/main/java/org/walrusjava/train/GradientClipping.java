package org.walrusjava.train;

import java.util.List;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/** Rescales all gradients together so that their joint L2 norm is at most a limit (torch's clip_grad_norm_). */
public final class GradientClipping {
    private GradientClipping() {}

    /** @return the total norm before clipping (NaN or infinite when some gradient is not finite) */
    public static double clip(List<TrainableParameter> parameters, double maxNorm) {
        double total = norm(parameters);
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
        try (NativeScope s = NativeScope.open(); Autograd off = Autograd.off()) {
            // Summed on the device so that only the final value crosses to the host.
            Tensor sumSquares = null;
            for (TrainableParameter p : parameters) {
                Tensor g = p.value().grad();
                if (g == null) continue;
                Tensor sq = g.square().sum().to(DType.FLOAT64);
                sumSquares = sumSquares == null ? sq : sumSquares.add(sq);
            }
            return sumSquares == null ? 0 : Math.sqrt(sumSquares.itemDouble());
        }
    }
}
