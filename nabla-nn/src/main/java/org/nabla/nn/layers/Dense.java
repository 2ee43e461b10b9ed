package org.nabla.nn.layers;

import java.util.function.UnaryOperator;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.Activations;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializer;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;
import org.nabla.nn.TrainingOps;

/**
 * A fully connected layer: {@code activation(x · kernel + bias)} over the last axis; kernel [in, units] (Glorot
 * uniform), bias [units] (zeros). Inputs of rank above 2 are applied along their last axis.
 */
public final class Dense extends Layer {
    private final int units;
    private final String activationName;
    private final UnaryOperator<Tensor> activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Variable kernel;
    private Variable bias;

    /** A linear layer of {@code units} outputs (positive; throws otherwise). */
    public Dense(int units) { this(units, null); }

    /** {@code activation}: a name of {@link Activations} ("relu", "softmax"...) or null for linear. */
    public Dense(int units, String activation) {
        if (units <= 0) throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        this.units = units;
        this.activationName = activation;
        this.activation = Activations.get(activation);
    }

    /** Whether to add a bias (default true); set before building. */
    public Dense useBias(boolean b) { useBias = b; return this; }

    /** How the kernel starts (default Glorot uniform); set before building. */
    public Dense kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    /** How the bias starts (default zeros); set before building. */
    public Dense biasInitializer(Initializer i) { biasInitializer = i; return this; }

    /** The number of outputs. */
    public int units() { return units; }

    /** The activation's name, or null for linear. */
    public String activation() { return activationName; }

    /** The kernel [in, units]; null before the layer is built. */
    public Variable kernel() { return kernel; }

    /** The bias [units]; null before the layer is built or without a bias. */
    public Variable bias() { return bias; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 2 || shapes[0].dim(-1) < 0) {
            throw new IllegalArgumentException(describe() + " needs inputs of rank >= 2 with a known last dim, got "
                    + shapes[0]);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(in[0].dim(-1), units), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(units), biasInitializer, true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] d = in[0].dims();
        d[d.length - 1] = units;
        return Shape.of(d);
    }

    /** Dense maps each step on its own, so the steps and their mask are kept (Keras: supports_masking). */
    @Override
    protected boolean supportsMasking() { return true; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int rank = x.shape().rank();
        Tensor flat = rank == 2 ? x : Ops.reshape(x, -1, x.shape().dim(-1));
        Tensor y = Ops.matmul(flat, read(kernel));
        if (useBias && "relu".equalsIgnoreCase(activationName)) {
            y = TrainingOps.biasRelu(y, read(bias));     // one pass instead of BiasAdd + Relu
        } else {
            if (useBias) y = Ops.biasAdd(y, read(bias));
            y = activation.apply(y);
        }
        if (rank != 2) {
            int[] d = x.shape().dims();
            d[0] = -1;
            d[d.length - 1] = units;
            y = Ops.reshape(y, d);
        }
        return y;
    }

    /**
     * The layer on a sparse input {@code x} [batch, in] (as Keras' Dense on a tf.SparseTensor): {@code activation(
     * sparse_dense_matmul(x, kernel) + bias)}, computed without densifying x; gradients reach the kernel and bias.
     * Builds the layer for {@code in} features when it is not built.
     */
    public Tensor callSparse(org.nabla.sparse.SparseTensor x) {
        if (x.rank() != 2) throw new IllegalArgumentException(describe() + ": a sparse input must be [batch, "
                + "features], got rank " + x.rank());
        int features = x.shape().dim(1);
        if (!isBuilt()) {
            if (features < 0) throw new IllegalArgumentException(describe() + ": build the layer first, the sparse "
                    + "input's feature count is not known");
            build(Shape.of(-1, features));
        }
        int in = kernel.shape().dim(0);
        if (features >= 0 && features != in) throw new IllegalArgumentException(describe() + " takes " + in
                + " features, got a sparse input of shape " + x.shape());
        Tensor y = org.nabla.sparse.Sparse.matmul(x, read(kernel));
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
