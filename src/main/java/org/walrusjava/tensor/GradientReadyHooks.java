package org.walrusjava.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;

/**
 * Tells, during a backward pass, as soon as a leaf's gradient has been accumulated into its .grad: a post-hook on
 * each leaf's gradient accumulator (the autograd node that adds into .grad) calls {@code ready} with the leaf's index.
 * Data-parallel training uses it to start summing a bucket of gradients over the ranks while the backward pass goes
 * on with the layers below.
 *
 * <p>Why the anchors: libtorch keeps a leaf's accumulator only while some graph holds it, and a new graph would get a
 * new accumulator without the hook. A 1-element sum of each leaf, kept with grad, holds the accumulator for as long as
 * these hooks live (it keeps no activation and not the leaf's data). Why the static list: the bindings hold only weak
 * references to the Java side of a hook, and a node still held by some graph could call a hook after this object is
 * closed, so every hook stays reachable for the life of the process (one small object per leaf) and a closed set of
 * hooks does nothing.
 */
public final class GradientReadyHooks implements AutoCloseable {
    private static final List<NodePostHook> ALIVE = new ArrayList<>();
    private final List<org.bytedeco.pytorch.Tensor> anchors = new ArrayList<>();
    private volatile IntConsumer ready;

    public GradientReadyHooks(List<Tensor> leaves, IntConsumer ready) {
        this.ready = ready;
        try (AutoGradMode on = new AutoGradMode(true); PointerScope own = new PointerScope()) {
            for (int i = 0; i < leaves.size(); i++) {
                org.bytedeco.pytorch.Tensor anchor = leaves.get(i).t.sum().retainReference();
                anchors.add(anchor);
                int index = i;
                NodePostHook hook = new NodePostHook((produced, received) -> {
                    IntConsumer to = this.ready;
                    if (to != null) to.accept(index);
                    return produced;
                });
                hook.deallocate(false);
                synchronized (ALIVE) {
                    ALIVE.add(hook);
                }
                anchor.grad_fn().next_edges().get(0).function().add_post_hook(hook);
            }
        }
    }

    @Override
    public void close() {
        ready = null;
        for (org.bytedeco.pytorch.Tensor a : anchors) a.releaseReference();
        anchors.clear();
    }
}
