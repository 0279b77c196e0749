package org.walrusjava.tensor;

import org.bytedeco.javacpp.PointerScope;

/**
 * A region whose native tensors are freed when it closes. Open one around a forward pass or a training step;
 * return results through {@link #keep}, which moves them to the enclosing scope (or to no scope at all, where
 * they live until closed or collected).
 */
public final class NativeScope implements AutoCloseable {
    private final PointerScope scope;

    private NativeScope() {
        NativeRuntime.init();
        this.scope = new PointerScope();
    }

    public static NativeScope open() {
        return new NativeScope();
    }

    /** Lets a tensor outlive this scope: it then belongs to the scope that encloses this one, if any. */
    public Tensor keep(Tensor x) {
        // detach() drops the scope's reference, which would free the tensor: hold one of our own first.
        x.t.retainReference();
        scope.detach(x.t);
        PointerScope outer = enclosing();
        if (outer != null) {
            outer.attach(x.t);
            x.t.releaseReference();
        }
        return x;
    }

    private PointerScope enclosing() {
        boolean seen = false;
        for (var it = PointerScope.getScopeIterator(); it != null && it.hasNext(); ) {
            PointerScope s = it.next();
            if (seen) return s;
            if (s == scope) seen = true;
        }
        return null;
    }

    @Override
    public void close() {
        scope.close();
    }
}
