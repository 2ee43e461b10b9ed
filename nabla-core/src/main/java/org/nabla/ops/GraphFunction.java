package org.nabla.ops;

import java.util.List;

/**
 * A sub-graph with named parameters and results, held as an attribute by control-flow ops (the branches of Cond and
 * Case, the condition and body of While) and produced by tracing. The graph package implements it; ops only pass it
 * around, which keeps the op catalog independent of the graph package.
 */
public interface GraphFunction {
    /** A short name for messages and printing. */
    String name();

    /** Dtypes and shapes of the parameters, in order. */
    List<TensorSpec> inputSpecs();

    /** Dtypes and shapes of the results, in order. */
    List<TensorSpec> outputSpecs();
}
