package org.nabla.ops;

/** Tensor sources: fill, range, eye, and seeded random uniform, normal and truncated normal. */
public final class RandomOps {
    private RandomOps() {}
}
