package org.nabla.ops;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gradient functions by op: the one registry behind symbolic {@code gradients(ys, xs)} and the eager
 * {@code GradientTape}. Op libraries fill it ({@code OpLibrary.registerGradients}); a program may also register or
 * replace the gradient of an op itself. A gradient belongs to its op's definition, so it lives beside the ops.
 */
public final class GradientRegistry {
    private static final GradientRegistry GLOBAL = new GradientRegistry();

    private final Map<OpDef, GradientFunction> gradients = new ConcurrentHashMap<>();

    private GradientRegistry() {}

    /**
     * The process-wide registry, with the gradients of every op library on the class path registered (so a rule
     * registered through it is never replaced by a library's later).
     */
    public static GradientRegistry global() {
        OpRegistry.loadGradients();
        return GLOBAL;
    }

    /** Registers the gradient of {@code op}, replacing any earlier one. */
    public void register(OpDef op, GradientFunction gradient) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(gradient, () -> "gradient of " + op.name());
        gradients.put(op, gradient);
    }

    /** The gradient of {@code op}, or null when none is registered. */
    public GradientFunction find(OpDef op) { return gradients.get(op); }

    /** The gradient of {@code op}, or an error saying it is missing or the op is not differentiable. */
    public GradientFunction get(OpDef op) {
        GradientFunction f = find(op);
        if (f == null) {
            throw new OpException(op.name(), op.isDifferentiable() ? "no gradient is registered for this op"
                    : "the op is not differentiable");
        }
        return f;
    }

    /** Whether a gradient is registered for {@code op}. */
    public boolean has(OpDef op) { return gradients.containsKey(op); }
}
