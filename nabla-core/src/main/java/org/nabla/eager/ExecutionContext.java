package org.nabla.eager;

import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;

/**
 * The one place every op call goes (JAX's single "bind"): the eager context ({@link EagerContext}) runs the kernel at
 * once; a graph context ({@code org.nabla.graph.GraphContext}, entered by {@code Graph.asDefault()} and when a
 * {@code Function} traces its lambda) records a node instead; a {@code GradientTape} hands each call to the context
 * below it and records it. Contexts nest per thread; the bottom one is eager.
 */
public interface ExecutionContext {
    /** Runs or records {@code op} on {@code inputs}; returns its outputs. */
    Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs);

    /**
     * The context that finally runs or builds the ops this one is handed: itself, or for a layer that only passes
     * calls on while watching them (a gradient tape) the target of the context below it. Code that must know whether
     * a graph is being built (control flow) asks this rather than the current context's class.
     */
    default ExecutionContext target() { return this; }

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
