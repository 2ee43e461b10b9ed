package org.nabla.autodiff;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;

/**
 * Gradient functions by op name: the one registry behind symbolic {@code gradients(ys, xs)} and the eager
 * {@code GradientTape}. The core rules register themselves from one class per op family (MathGradients...);
 * users may register or override gradients for their own ops.
 */
public final class GradientRegistry {
    private static final Map<String, GradientFunction> GRADIENTS = new ConcurrentHashMap<>();

    private GradientRegistry() {}

    /** Registers (or replaces) the gradient of {@code opName}. */
    public static void register(String opName, GradientFunction gradient) {
        CoreGradients.ensureLoaded(); // so a user's rule registered first is not replaced by the core one later
        GRADIENTS.put(opName, gradient);
    }

    /** The gradient of {@code op}, or null when none is registered. */
    public static GradientFunction find(OpDef op) {
        CoreGradients.ensureLoaded();
        return GRADIENTS.get(op.name());
    }

    /** The gradient of {@code op}, or an error saying it is missing or the op is not differentiable. */
    public static GradientFunction get(OpDef op) {
        GradientFunction f = find(op);
        if (f == null) {
            throw new OpException(op.name(), op.isDifferentiable() ? "no gradient is registered for this op"
                    : "the op is not differentiable");
        }
        return f;
    }

    public static boolean has(String opName) {
        CoreGradients.ensureLoaded();
        return GRADIENTS.containsKey(opName);
    }
}
