/**
 * The op catalog: every op declared once ({@link org.nabla.ops.OpDef}) with its dtype/shape inference, grouped in
 * one class per family (MathOps, LinalgOps, ReductionOps, ArrayOps, NnOps, RandomOps; FusedOps for ops made by
 * graph optimization).
 */
package org.nabla.ops;
