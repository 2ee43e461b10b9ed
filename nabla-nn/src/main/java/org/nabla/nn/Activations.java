package org.nabla.nn;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nabla.Ops;
import org.nabla.Tensor;

/** Activation functions by Keras name: linear (or null), relu, sigmoid, tanh, softmax, elu, selu, gelu, softplus. */
public final class Activations {
    private Activations() {}

    /** The function for {@code name}; null or "linear" is the identity. */
    public static UnaryOperator<Tensor> get(String name) {
        if (name == null) return x -> x;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "linear", "none" -> x -> x;
            case "relu" -> Ops::relu;
            case "relu6" -> Ops::relu6;
            case "sigmoid" -> Ops::sigmoid;
            case "tanh" -> Ops::tanh;
            case "softmax" -> Ops::softmax;
            case "log_softmax" -> Ops::logSoftmax;
            case "elu" -> Ops::elu;
            case "selu" -> Ops::selu;
            case "gelu" -> Ops::gelu;
            case "softplus" -> Ops::softplus;
            case "leaky_relu" -> Ops::leakyRelu;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: linear, relu, "
                    + "relu6, sigmoid, tanh, softmax, log_softmax, elu, selu, gelu, softplus, leaky_relu");
        };
    }

    /** Checks the name now (so a layer fails at construction, not at its first call). */
    static String check(String name) {
        get(name);
        return name;
    }
}
