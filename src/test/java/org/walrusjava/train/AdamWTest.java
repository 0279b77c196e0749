package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

class AdamWTest {
    /** The AdamW update written out per element in double precision. */
    static final class HandAdamW {
        final double[] p, m, v;
        final AdamW.Settings s;
        int t;

        HandAdamW(double[] p, AdamW.Settings s) {
            this.p = p.clone();
            this.m = new double[p.length];
            this.v = new double[p.length];
            this.s = s;
        }

        void step(double[] g, double lr) {
            t++;
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * s.weightDecay();
                m[i] = s.beta1() * m[i] + (1 - s.beta1()) * g[i];
                v[i] = s.beta2() * v[i] + (1 - s.beta2()) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(s.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(s.beta2(), t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + s.eps());
            }
        }
    }

    static void setGrad(Tensor param, double[] g) {
        // d/dp sum(p * c) = c: a cheap way to make autograd leave exactly g in param.grad.
        float[] c = new float[g.length];
        for (int i = 0; i < g.length; i++) c[i] = (float) g[i];
        param.mul(Tensor.of(c, c.length)).sum().backward();
    }

    @Test
    void threeStepsMatchHandComputedUpdate() {
        AdamW.Settings s = new AdamW.Settings(0.05, 0.9, 0.999, 1e-10, 0.1);
        double[] start = {1.0, -2.0, 0.5, 0.0};
        Tensor p = Tensor.of(new float[] {1.0f, -2.0f, 0.5f, 0.0f}, 4).requiresGrad(true);
        AdamW opt = new AdamW(List.of(new TrainableParameter("w", p, 1.0)), s);
        HandAdamW hand = new HandAdamW(start, s);
        double[][] grads = {{0.3, -1.0, 2.0, 0.0}, {-0.1, -0.5, 1.0, 1e-3}, {0.2, 0.25, -4.0, 0.0}};
        double[] lrs = {0.05, 0.04, 0.02};
        for (int k = 0; k < 3; k++) {
            setGrad(p, grads[k]);
            opt.step(lrs[k]);
            opt.zeroGrad();
            assertNull(p.grad(), "gradients cleared to none");
            hand.step(grads[k], lrs[k]);
            float[] ours = p.toFloatArray();
            for (int i = 0; i < 4; i++) assertEquals(hand.p[i], ours[i], 1e-6, "step " + (k + 1) + " element " + i);
        }
        Map<String, Tensor> state = opt.state();
        assertEquals(3L, state.get("w.step").toLongArray()[0]);
        for (int i = 0; i < 4; i++) assertEquals(hand.m[i], state.get("w.exp_avg").toFloatArray()[i], 1e-7);
    }

    @Test
    void momentsOutliveTheCallersScopeAndCloseWithTheOptimizer() {
        AdamW.Settings s = new AdamW.Settings(0.05, 0.9, 0.999, 1e-10, 0.1);
        double[][] grads = {{0.3, -1.0}, {-0.1, 2.0}};
        Tensor p = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        HandAdamW hand = new HandAdamW(new double[] {1, -2}, s);
        Map<String, Tensor> state;
        try (AdamW opt = new AdamW(List.of(new TrainableParameter("w", p, 1.0)), s)) {
            try (NativeScope callers = NativeScope.open()) {
                setGrad(p, grads[0]);
                opt.step(0.05);
                opt.zeroGrad();
            }
            state = opt.state();
            // Checked before the next step reads them: freed moments would fail inside libtorch instead of here.
            assertFalse(state.get("w.exp_avg").isFreed(), "first moment freed with the caller's scope");
            assertFalse(state.get("w.exp_avg_sq").isFreed(), "second moment freed with the caller's scope");
            setGrad(p, grads[1]);
            opt.step(0.05);
            for (double[] g : grads) hand.step(g, 0.05);
            float[] ours = p.toFloatArray();
            for (int i = 0; i < 2; i++) assertEquals(hand.p[i], ours[i], 1e-6, "element " + i);
            assertEquals(hand.v[1], state.get("w.exp_avg_sq").toFloatArray()[1], 1e-7);
        }
        assertTrue(state.get("w.exp_avg").isFreed() && state.get("w.exp_avg_sq").isFreed(), "closing frees them");
    }

    @Test
    void firstStepMovesEachWeightByLearningRate() {
        AdamW.Settings s = new AdamW.Settings(0.01, 0.9, 0.999, 1e-10, 0.0);
        Tensor p = Tensor.of(new float[] {1f, 1f}, 2).requiresGrad(true);
        AdamW opt = new AdamW(List.of(new TrainableParameter("w", p, 1.0)), s);
        setGrad(p, new double[] {5.0, -0.001});
        opt.step(0.01);
        assertArrayEquals(new float[] {0.99f, 1.01f}, p.toFloatArray(), 1e-6f);
    }

    @Test
    void multiplierScalesLearningRateAndParametersWithoutGradientAreLeftAlone() {
        AdamW.Settings s = new AdamW.Settings(0.01, 0.9, 0.999, 1e-10, 0.5);
        Tensor a = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        AdamW opt = new AdamW(List.of(new TrainableParameter("a", a, 0.1), new TrainableParameter("b", b, 1.0)), s);
        setGrad(a, new double[] {1.0});
        opt.step(0.01);
        // lr 0.001: decay 1 * (1 - 0.001 * 0.5), then -0.001 * sign(g)
        assertEquals((1 - 0.0005) - 0.001, a.toFloatArray()[0], 1e-7);
        assertEquals(1f, b.toFloatArray()[0], "no gradient: no weight decay, no state");
        assertFalse(opt.state().containsKey("b.step"));
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        AdamW.Settings s = AdamW.Settings.released();
        Tensor p1 = Tensor.of(new float[] {0.3f, -0.7f}, 2).requiresGrad(true);
        Tensor p2 = Tensor.of(new float[] {0.3f, -0.7f}, 2).requiresGrad(true);
        AdamW o1 = new AdamW(List.of(new TrainableParameter("w", p1, 1.0)), s);
        AdamW o2 = new AdamW(List.of(new TrainableParameter("w", p2, 1.0)), s);
        setGrad(p1, new double[] {1, 2});
        setGrad(p2, new double[] {1, 2});
        o1.step(1e-3);
        o2.step(1e-3);
        AdamW o2b = new AdamW(List.of(new TrainableParameter("w", p2, 1.0)), s);
        o2b.load(o2.state(), "test");
        for (AdamW o : List.of(o1, o2b)) o.zeroGrad();
        setGrad(p1, new double[] {-3, 0.5});
        setGrad(p2, new double[] {-3, 0.5});
        o1.step(1e-3);
        o2b.step(1e-3);
        assertArrayEquals(p1.toFloatArray(), p2.toFloatArray(), 0f);
    }

    @Test
    void clippingRescalesToMaxNormAndReportsNormBeforeClipping() {
        Tensor a = Tensor.of(new float[] {0f, 0f}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0f}, 1).requiresGrad(true);
        setGrad(a, new double[] {3, 0});
        setGrad(b, new double[] {4});
        List<TrainableParameter> ps = List.of(new TrainableParameter("a", a, 1), new TrainableParameter("b", b, 1));
        assertEquals(5.0, GradientClipping.clip(ps, 10), 1e-9, "under the limit: unchanged");
        assertArrayEquals(new float[] {3f, 0f}, a.grad().toFloatArray());
        assertEquals(5.0, GradientClipping.clip(ps, 1), 1e-9);
        assertEquals(1.0, GradientClipping.norm(ps), 1e-5);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().toFloatArray(), 1e-6f);
        try (Autograd off = Autograd.off()) {
            assertArrayEquals(new float[] {0.8f}, b.grad().toFloatArray(), 1e-6f);
        }
    }
}
