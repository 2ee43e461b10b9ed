package org.nabla.ops;

/** Matrix products: MatMul (batched, with transpose flags). */
public final class LinalgOps {
    private LinalgOps() {}
}
