package org.nabla.eager;

import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;

/**
 * The one place every op call goes (JAX's single "bind"): eager execution runs the kernel at once; a graph builder or
 * a tracer (later issues) records a node instead. Contexts nest per thread; the bottom one is eager.
 */
public interface ExecutionContext {
    /** Runs or records {@code op} on {@code inputs}; returns its outputs. */
    Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs);

    /** The innermost context of the calling thread. */
    static ExecutionContext current() { return Contexts.current(); }

    /**
     * Makes {@code context} current on this thread until the returned scope is closed (use try-with-resources).
     */
    static Scope enter(ExecutionContext context) { return Contexts.push(context); }

    /** Restores the previous context when closed. */
    interface Scope extends AutoCloseable {
        @Override void close();
    }
}
