/**
 * Graph optimization before execution: {@link org.nabla.runtime.optimize.GraphOptimizer} runs switchable passes
 * (dead-node removal, arithmetic simplification, constant folding, common-subexpression elimination with the
 * sharing of a loop and its gradient's keepIntermediates twin, fusion of elementwise chains), each rebuilding a new
 * graph with {@link org.nabla.runtime.optimize.GraphRewriter}, since graphs are append-only.
 */
package org.nabla.runtime.optimize;
