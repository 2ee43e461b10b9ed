package org.nabla.ops;

/** Reductions over any axes (sum, mean, max, min, prod, logSumExp, any, all), argmax/argmin and cumsum. */
public final class ReductionOps {
    private ReductionOps() {}
}
