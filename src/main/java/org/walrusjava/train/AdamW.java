package org.walrusjava.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW computes it: the weights first
 * shrink by lr * weightDecay, then move by lr * m̂ / (sqrt(v̂) + eps) with bias-corrected moments. Parameters without
 * a gradient in a step (frozen ones, or the 3-D encoder during a 2-D step) are left alone, moments and step
 * count included, as PyTorch does when gradients are cleared to "none". The moments are the optimizer's own, in no
 * caller's {@code NativeScope}; {@link #close()} frees them.
 */
public final class AdamW implements AutoCloseable {
    /** Released values (spec §5): lr 2e-4, weight decay 1e-4, eps 1e-10, PyTorch's default betas. */
    public record Settings(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public static Settings released() {
            return new Settings(2e-4, 0.9, 0.999, 1e-10, 1e-4);
        }

        public Settings withLr(double newLr) {
            return new Settings(newLr, beta1, beta2, eps, weightDecay);
        }
    }

    /** First and second moment of one parameter and how many updates it has had. */
    private static final class Moments {
        final Tensor expAvg;
        final Tensor expAvgSq;
        long steps;

        /** Made inside a scope, which frees the zeros' first handles; the moments hold handles of their own. */
        Moments(Tensor like) {
            expAvg = Tensor.zeros(like.dtype(), like.device(), like.shape()).owned();
            expAvgSq = Tensor.zeros(like.dtype(), like.device(), like.shape()).owned();
        }

        void close() {
            expAvg.close();
            expAvgSq.close();
        }
    }

    private final List<TrainableParameter> parameters;
    private final Settings settings;
    private final Map<String, Moments> moments = new HashMap<>();

    public AdamW(List<TrainableParameter> parameters, Settings settings) {
        this.parameters = List.copyOf(parameters);
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public List<TrainableParameter> parameters() {
        return parameters;
    }

    /** One update with the scheduled learning rate {@code lr} (each part scales it by its multiplier). */
    public void step(double lr) {
        try (Autograd off = Autograd.off(); NativeScope scope = NativeScope.open()) {
            for (TrainableParameter p : parameters) {
                Tensor grad = p.value().grad();
                if (grad == null) continue;
                Moments m = moments.computeIfAbsent(p.name(), k -> new Moments(p.value()));
                update(p.value(), grad, m, lr * p.lrMultiplier());
            }
        }
    }

    private void update(Tensor param, Tensor grad, Moments m, double lr) {
        m.steps++;
        param.mul_(1 - lr * settings.weightDecay());
        m.expAvg.lerp_(grad, 1 - settings.beta1());
        m.expAvgSq.mul_(settings.beta2()).addcmul_(grad, grad, 1 - settings.beta2());
        double correction1 = 1 - Math.pow(settings.beta1(), m.steps);
        double correction2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), m.steps));
        Tensor denominator = m.expAvgSq.sqrt().div(correction2Sqrt).add(settings.eps());
        param.addcdiv_(m.expAvg, denominator, -lr / correction1);
    }

    /** Bytes of the moments held (those of parameters that have had an update). */
    public long momentBytes() {
        long bytes = 0;
        for (Moments m : moments.values()) bytes += m.expAvg.bytes() + m.expAvgSq.bytes();
        return bytes;
    }

    /** Clears every gradient (to "none"), ready for the next accumulation. */
    public void zeroGrad() {
        for (TrainableParameter p : parameters) p.value().clearGrad();
    }

    /**
     * The optimizer state by key ("<param>.exp_avg", "<param>.exp_avg_sq", "<param>.step"), for checkpoints. The
     * moments are the optimizer's own handles, valid until it closes or loads another state; not to be closed.
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TrainableParameter p : parameters) {
            Moments m = moments.get(p.name());
            if (m == null) continue;
            out.put(p.name() + ".exp_avg", m.expAvg);
            out.put(p.name() + ".exp_avg_sq", m.expAvgSq);
            out.put(p.name() + ".step", Tensor.ofLongs(new long[] {m.steps}, 1));
        }
        return out;
    }

    /** Restores {@link #state()}; moments are copied onto each parameter's device and dtype. */
    public void load(Map<String, Tensor> state, String source) {
        close();
        try (NativeScope scope = NativeScope.open()) {
            for (TrainableParameter p : parameters) {
                Tensor steps = state.get(p.name() + ".step");
                if (steps == null) continue;
                Tensor avg = state.get(p.name() + ".exp_avg"), avgSq = state.get(p.name() + ".exp_avg_sq");
                if (avg == null || avgSq == null || !java.util.Arrays.equals(avg.shape(), p.value().shape()))
                    throw new UserError(source + ": optimizer state for " + p.name() + " is missing or mis-shaped");
                Moments m = new Moments(p.value());
                moments.put(p.name(), m);
                m.expAvg.copy_(avg);
                m.expAvgSq.copy_(avgSq);
                m.steps = steps.to(DType.INT64).toLongArray()[0];
            }
        }
    }

    /** Frees the moments; a later step starts them afresh, as for a new optimizer. */
    @Override
    public void close() {
        moments.values().forEach(Moments::close);
        moments.clear();
    }
}
