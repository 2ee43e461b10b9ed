package org.nabla.eager;

import java.util.ArrayDeque;

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
        return () -> {
            if (stack.peek() != context) {
                throw new IllegalStateException("execution contexts closed out of order");
            }
            stack.pop();
        };
    }
}
