/**
 * The op catalog: every op declared once as data ({@link org.nabla.ops.OpDef}: name, inputs, typed attributes with
 * defaults, the dtype/shape function, flags such as stateful or not differentiable) and registered by name in
 * {@link org.nabla.ops.OpRegistry}. One class per family: MathOps, LinalgOps, ReductionOps, ArrayOps, NnOps,
 * RandomOps (creation and random), ControlFlowOps (Cond, Case, While over {@link org.nabla.ops.GraphFunction}
 * sub-graphs), StateOps (variables), GraphOps (Const, Placeholder, NoOp), TransferOps (Send/Recv between devices),
 * GradOps and NnGradOps (the ops gradient rules are written with), FusedOps (made by graph optimization). Shape rules
 * shared by the families are in Infer (with StridedSlicing and PoolWindow for the geometry that kernels share);
 * attributes are AttrDef/AttrType/Attrs, bad input an OpException. An op's gradient is part of its definition: a
 * {@link org.nabla.ops.GradientFunction} of the forward {@link org.nabla.ops.OpCall}, registered per OpDef in
 * {@link org.nabla.ops.GradientRegistry}. Op libraries ({@code org.nabla.kernels.OpLibrary}, nabla-core's and other
 * modules') fill both registries, loaded through the {@link org.nabla.ops.OpRegistry.Loader} hook.
 */
package org.nabla.ops;
