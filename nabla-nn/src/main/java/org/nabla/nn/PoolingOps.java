package org.nabla.nn;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.NnPooling;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.PoolWindow;
import org.nabla.ops.TensorSpec;

/**
 * Max pooling that remembers where each maximum came from, so its gradient is one scatter instead of a second
 * search of every window (TensorFlow's MaxPoolWithArgmax). NHWC only; attributes, geometry and kernel are core's
 * MaxPool2D's ({@link PoolWindow}, {@link NnPooling}): each window's first maximum wins (row-major order within the
 * window), a NaN wins over numbers, padding never wins.
 * <ul>
 * <li>{@code MaxPoolWithArgmax(x)}: outputs the pooled values and int32 flat indices into x.</li>
 * <li>{@code ArgmaxScatter(grad, argmax, like)}: zeros shaped like {@code like} with {@code grad[i]} added at
 *     {@code argmax[i]} (the gradient of MaxPoolWithArgmax).</li>
 * <li>{@code ArgmaxGather(values, argmax)}: {@code values.flat[argmax[i]]} (the gradient of ArgmaxScatter).</li>
 * <li>{@code MaxPoolBiasReluGrad(grad, argmax, pooled, like)}: ArgmaxScatter followed by BiasReluGrad in one pass
 *     ({@code MaxPoolReluGrad}; the graph optimizer's fusion of a ReLU layer followed by max pooling).</li>
 * </ul>
 * An {@link OpLibrary} (listed in nabla-nn's {@code META-INF/services/org.nabla.kernels.OpLibrary}): the ops, their
 * gradients and CPU kernels are registered wherever nabla-nn is on the class path.
 */
public final class PoolingOps implements OpLibrary {
    /** Made by the op library loader (ServiceLoader). */
    public PoolingOps() {}

    /** NHWC max pooling that also outputs the int32 flat input index of each maximum (for the gradient). */
    public static final OpDef MAX_POOL_WITH_ARGMAX =
            PoolWindow.attrs2d(OpDef.builder("MaxPoolWithArgmax").inputs("input"))
                    .shape(PoolingOps::poolShape)
                    .summary("NHWC max pooling; outputs the maxima and their int32 flat indices into the input")
                    .build();

    /** Internal: max pooling's gradient, {@code grad} added at the argmax positions of zeros like {@code like}. */
    public static final OpDef ARGMAX_SCATTER = OpDef.builder("ArgmaxScatter").inputs("grad", "argmax", "like")
            .shape(PoolingOps::scatterShape)
            .internal()
            .summary("zeros like 'like' with grad[i] added at flat index argmax[i]").build();

    /** Internal: {@code values.flat[argmax[i]]}, the second-order gradient of max pooling. */
    public static final OpDef ARGMAX_GATHER = OpDef.builder("ArgmaxGather").inputs("values", "argmax")
            .shape(PoolingOps::gatherShape)
            .internal()
            .summary("values.flat[argmax[i]], shaped like argmax").build();

    /**
     * Internal: {@code BiasReluGrad(ArgmaxScatter(grad, argmax, like), like)} where {@code (pooled, argmax)} is
     * MaxPoolWithArgmax of {@code like}, in one pass over the pooled tensors (the graph optimizer's fusion builds it).
     */
    public static final OpDef MAX_POOL_BIAS_RELU_GRAD = OpDef.builder("MaxPoolBiasReluGrad")
            .inputs("grad", "argmax", "pooled", "like")
            .shape(PoolingOps::poolReluGradShape)
            .notDifferentiable().internal()
            .summary("BiasReluGrad of max pooling's gradient: zeros like 'like' with grad[i] added at argmax[i] where "
                    + "pooled[i] > 0, and those gradients summed per channel")
            .build();

    @Override
    public Collection<OpDef> ops() {
        return List.of(MAX_POOL_WITH_ARGMAX, ARGMAX_SCATTER, ARGMAX_GATHER, MAX_POOL_BIAS_RELU_GRAD);
    }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(MAX_POOL_WITH_ARGMAX, (c, g) -> new Tensor[] {
                g[0] == null ? null : Ops.run(ARGMAX_SCATTER, Attrs.EMPTY, g[0], c.output(1), c.input(0))});
        gradients.register(ARGMAX_SCATTER, (c, g) -> new Tensor[] {
                Ops.run(ARGMAX_GATHER, Attrs.EMPTY, g[0], c.input(1)), null, null});
        gradients.register(ARGMAX_GATHER, (c, g) -> new Tensor[] {
                Ops.run(ARGMAX_SCATTER, Attrs.EMPTY, g[0], c.input(1), c.input(0)), null});
    }

    /** Max pooling of NHWC {@code x}; returns {values, argmax}. */
    public static Tensor[] maxPoolWithArgmax(Tensor x, int[] ksize, int[] strides, String padding) {
        return Ops.runMulti(MAX_POOL_WITH_ARGMAX, Attrs.of("ksize", ksize, "strides", strides, "padding", padding), x);
    }

    private static TensorSpec[] poolShape(TensorSpec[] in, Attrs a) {
        String op = "MaxPoolWithArgmax";
        Infer.requireFloating(op, "input", in[0]);
        if (!NnOps.dataFormat(op, a).equals("NHWC")) throw new OpException(op, "only NHWC is supported");
        Shape s = in[0].shape();
        if (s.rank() != 4) throw new OpException(op, "input must be NHWC (rank 4), got " + s);
        Shape out = PoolWindow.of(op, s, a).outputShape(s);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), out), new TensorSpec(DType.INT32, out)};
    }

    private static TensorSpec[] scatterShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("ArgmaxScatter", "grad", in[0]);
        Infer.sameDType("ArgmaxScatter", in[0], in[2]);
        if (in[1].dtype() != DType.INT32 || !in[1].shape().isCompatibleWith(in[0].shape())) {
            throw new OpException("ArgmaxScatter", "argmax must be int32 shaped like grad " + in[0] + ", got " + in[1]);
        }
        return new TensorSpec[] {in[2]};
    }

    private static TensorSpec[] poolReluGradShape(TensorSpec[] in, Attrs a) {
        String op = "MaxPoolBiasReluGrad";
        Infer.requireFloating(op, "grad", in[0]);
        Infer.sameDType(op, in[0], in[2]);
        Infer.sameDType(op, in[0], in[3]);
        if (in[1].dtype() != DType.INT32 || !in[1].shape().isCompatibleWith(in[0].shape())
                || !in[2].shape().isCompatibleWith(in[0].shape())) {
            throw new OpException(op, "argmax (int32) and pooled must be shaped like grad " + in[0] + ", got "
                    + in[1] + " and " + in[2]);
        }
        Shape like = in[3].shape();
        if (like.rank() != 4) throw new OpException(op, "like must be NHWC (rank 4), got " + like);
        return new TensorSpec[] {in[3], new TensorSpec(in[0].dtype(), Shape.of(like.dim(3)))};
    }

    private static TensorSpec[] gatherShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("ArgmaxGather", "values", in[0]);
        if (in[1].dtype() != DType.INT32) throw new OpException("ArgmaxGather", "argmax must be int32, got " + in[1]);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), in[1].shape())};
    }

    /** The kernels are core's pooling family, which these three ops share with MaxPool2D and its gradients. */
    @Override
    public void registerKernels(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(MAX_POOL_WITH_ARGMAX, CpuDevice.TYPE, d, NnPooling::maxPool);
            r.register(ARGMAX_SCATTER, CpuDevice.TYPE, d, NnPooling::argmaxScatter);
            r.register(ARGMAX_GATHER, CpuDevice.TYPE, d, NnPooling::argmaxGather);
            r.register(MAX_POOL_BIAS_RELU_GRAD, CpuDevice.TYPE, d, MaxPoolReluGrad::run, true);
        }
    }
}
