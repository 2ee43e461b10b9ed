package org.nabla.eager;

import java.util.ArrayDeque;
import org.nabla.TensorScope;

/** The per-thread stack of execution contexts behind {@link ExecutionContext#current()}. */
final class Contexts {
    private static final ThreadLocal<ArrayDeque<ExecutionContext>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private Contexts() {}

    static ExecutionContext current() {
        ExecutionContext top = STACK.get().peek();
        return top == null ? EagerContext.INSTANCE : top;
    }

    static ExecutionContext.Scope push(ExecutionContext context) {
        ArrayDeque<ExecutionContext> stack = STACK.get();
        stack.push(context);
        // Entering the eager context explicitly is what the runtime does to run kernels for graphs (executor,
        // constant folding): their results belong to the graph, never to a user's TensorScope.
        TensorScope.Suspension suspension = context == EagerContext.INSTANCE ? TensorScope.suspend() : null;
        return () -> {
            if (stack.peek() != context) {
                throw new IllegalStateException("execution contexts closed out of order");
            }
            stack.pop();
            if (suspension != null) suspension.close();
        };
    }
}
