package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/** Elementwise sum of several inputs of one shape (functional API merge layer). */
public final class Add extends ElementwiseMerge {
    /** Adds its inputs element-wise (same shapes). */
    public Add() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.add(acc, next); }
}
