package org.nabla.ops;

/** Neural-network ops: activations, softmax, bias add, convolution, pooling, batch norm, dropout, losses. */
public final class NnOps {
    private NnOps() {}
}
