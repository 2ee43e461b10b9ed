package org.nabla.ragged;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The ops behind {@link RaggedTensor}: each takes the flat {@code values} {@code [n, ...]} and the int64
 * {@code row_splits} {@code [nrows + 1]} (row r holds values {@code [splits[r], splits[r + 1])}), so they run
 * eagerly and in graphs, and pass gradients to the values. Internal ops (reached through {@link RaggedTensor}); an
 * {@link OpLibrary} listed in nabla-core's {@code META-INF/services}.
 */
public final class RaggedOps implements OpLibrary {
    static final OpDef REDUCE_SUM = OpDef.builder("RaggedReduceSum").inputs("values", "row_splits")
            .shape((in, a) -> rowsShape("RaggedReduceSum", in))
            .internal()
            .summary("the sum of each row's values: [nrows, ...]").build();

    static final OpDef REDUCE_MAX = OpDef.builder("RaggedReduceMax").inputs("values", "row_splits")
            .shape((in, a) -> rowsShape("RaggedReduceMax", in))
            .internal()
            .summary("the maximum of each row's values (-inf, or the dtype's minimum, for an empty row)").build();

    static final OpDef BROADCAST_ROWS = OpDef.builder("RaggedBroadcastRows").inputs("rows", "row_splits")
            .shape(RaggedOps::broadcastShape)
            .internal()
            .summary("row r of rows repeated for each of row r's values: [n, ...] (the gradient of a row sum)")
            .build();

    static final OpDef TO_TENSOR = OpDef.builder("RaggedToTensor").inputs("values", "row_splits", "default_value")
            .shape(RaggedOps::toTensorShape)
            .internal()
            .summary("the rows padded with default_value to the longest row: [nrows, max length, ...]").build();

    static final OpDef FROM_TENSOR = OpDef.builder("RaggedFromTensor").inputs("dense", "row_splits")
            .shape(RaggedOps::fromTensorShape)
            .notDifferentiable()
            .internal()
            .summary("the first length(r) entries of each row r of a padded tensor, as flat values (the gradient "
                    + "of RaggedToTensor)").build();

    private static final List<OpDef> ALL = List.of(REDUCE_SUM, REDUCE_MAX, BROADCAST_ROWS, TO_TENSOR, FROM_TENSOR);

    @Override
    public Collection<OpDef> ops() { return ALL; }

    // ---------------------------------------------------------------- shapes

    static void requireSplits(String op, TensorSpec splits) {
        if (splits.dtype() != DType.INT64 || splits.shape().rank() != 1) {
            throw new OpException(op, "row_splits must be an int64 vector [nrows + 1], got " + splits);
        }
    }

    private static void requireValues(String op, TensorSpec values) {
        if (values.shape().rank() < 1 || values.dtype() == DType.BOOL || values.dtype() == DType.STRING) {
            throw new OpException(op, "values must be numeric with a leading value dimension [n, ...], got " + values);
        }
    }

    /** [nrows, inner...]: nrows is splits' length - 1. */
    private static TensorSpec[] rowsShape(String op, TensorSpec[] in) {
        requireValues(op, in[0]);
        requireSplits(op, in[1]);
        int[] d = in[0].shape().dims();
        int splits = in[1].shape().dim(0);
        d[0] = splits == Shape.UNKNOWN ? Shape.UNKNOWN : splits - 1;
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(d))};
    }

    private static TensorSpec[] broadcastShape(TensorSpec[] in, Attrs a) {
        requireValues("RaggedBroadcastRows", in[0]);
        requireSplits("RaggedBroadcastRows", in[1]);
        int[] d = in[0].shape().dims();
        d[0] = Shape.UNKNOWN;
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(d))};
    }

    private static TensorSpec[] toTensorShape(TensorSpec[] in, Attrs a) {
        String op = "RaggedToTensor";
        if (in[0].shape().rank() < 1) {  // any dtype, strings included: padding only moves values
            throw new OpException(op, "values need a leading value dimension [n, ...], got " + in[0]);
        }
        requireSplits(op, in[1]);
        if (in[2].dtype() != in[0].dtype() || in[2].shape().rank() != 0) {
            throw new OpException(op, "default_value must be a " + in[0].dtype() + " scalar, got " + in[2]);
        }
        int[] v = in[0].shape().dims();
        int[] d = new int[v.length + 1];
        int splits = in[1].shape().dim(0);
        d[0] = splits == Shape.UNKNOWN ? Shape.UNKNOWN : splits - 1;
        d[1] = Shape.UNKNOWN;
        System.arraycopy(v, 1, d, 2, v.length - 1);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(d))};
    }

    private static TensorSpec[] fromTensorShape(TensorSpec[] in, Attrs a) {
        String op = "RaggedFromTensor";
        if (in[0].shape().rank() < 2) throw new OpException(op, "dense must be [nrows, length, ...], got " + in[0]);
        requireSplits(op, in[1]);
        int[] d = in[0].shape().dims();
        int[] out = new int[d.length - 1];
        out[0] = Shape.UNKNOWN;
        System.arraycopy(d, 2, out, 1, d.length - 2);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(out))};
    }

    // ---------------------------------------------------------------- gradients

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(REDUCE_SUM, (c, g) -> new Tensor[] {
                Ops.run(BROADCAST_ROWS, Attrs.EMPTY, g[0], c.input(1)), null});
        gradients.register(BROADCAST_ROWS, (c, g) -> new Tensor[] {
                Ops.run(REDUCE_SUM, Attrs.EMPTY, g[0], c.input(1)), null});
        gradients.register(REDUCE_MAX, RaggedOps::maxGradient);
        gradients.register(TO_TENSOR, (c, g) -> {
            Tensor values = Ops.run(FROM_TENSOR, Attrs.EMPTY, g[0], c.input(1));
            Tensor dflt = c.input(2).dtype().isFloating() ? Ops.sub(Ops.sum(g[0]), Ops.sum(values)) : null;
            return new Tensor[] {values, null, dflt};
        });
    }

    /** Each row's gradient goes to the values equal to the row's maximum, shared equally among ties (as TF does). */
    private static Tensor[] maxGradient(OpCall c, Tensor[] g) {
        Tensor splits = c.input(1);
        Tensor atMax = Ops.cast(Ops.equal(c.input(0), Ops.run(BROADCAST_ROWS, Attrs.EMPTY, c.output(0), splits)),
                c.input(0).dtype());
        Tensor ties = Ops.run(REDUCE_SUM, Attrs.EMPTY, atMax, splits);
        Tensor share = Ops.run(BROADCAST_ROWS, Attrs.EMPTY, Ops.div(g[0], ties), splits);
        return new Tensor[] {Ops.mul(share, atMax), null};
    }

    // ---------------------------------------------------------------- kernels

    /** The kernels register when a ragged op first runs: programs that never use one load none of them. */
    @Override
    public void registerKernels(KernelRegistry r) { r.registerOnFirstUse(RaggedOps.class, RaggedOps::registerRaggedKernels); }

    private static void registerRaggedKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        DType any = null;   // one kernel per op, switching on the values' storage
        // sums, maxima and padding values see 16-bit floats widened to float32
        r.registerAnyWidened(REDUCE_SUM, cpu, RaggedKernels::reduceSum);
        r.registerAnyWidened(REDUCE_MAX, cpu, RaggedKernels::reduceMax);
        r.register(BROADCAST_ROWS, cpu, any, RaggedKernels::broadcastRows);
        r.registerAnyWidened(TO_TENSOR, cpu, RaggedKernels::toTensor);
        r.register(FROM_TENSOR, cpu, any, RaggedKernels::fromTensor);
    }
}
