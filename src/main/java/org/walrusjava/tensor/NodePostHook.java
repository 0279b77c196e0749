package org.walrusjava.tensor;

import org.bytedeco.pytorch.FunctionPostHook;
import org.bytedeco.pytorch.TensorVector;

/**
 * Java code that libtorch runs after an autograd node: {@code body} gets the gradients the node produced (for its
 * inputs, which it may replace) and those it received, and returns the produced ones. The bindings keep only a weak
 * reference to the Java side, so whoever adds one keeps it reachable for as long as the node may call it.
 */
final class NodePostHook extends FunctionPostHook {
    interface Body {
        TensorVector apply(TensorVector produced, TensorVector received);
    }

    private final Body body;

    NodePostHook(Body body) {
        this.body = body;
    }

    @Override
    public TensorVector apply(TensorVector produced, TensorVector received) {
        return body.apply(produced, received);
    }
}
