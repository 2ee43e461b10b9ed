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

/**
 * Transposed 1-D convolution (Keras' {@code Conv1DTranspose}): [N, T, C] to [N, T', filters] with a kernel
 * [size, filters, C] (Keras' layout), strides, padding "valid" or "same", output padding and dilation, as
 * {@link Conv2DTranspose} computes them over a height of 1.
 */
public final class Conv1DTranspose extends Layer {
    private final int filters;
    private final int size;
    private final UnaryOperator<Tensor> activation;
    private int stride = 1;
    private int dilation = 1;
    private int outputPadding = -1;
    private boolean same;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable kernel;
    private Variable bias;

    /** {@code filters} filters of {@code size} steps, linear. */
    public Conv1DTranspose(int filters, int size) { this(filters, size, null); }

    /** {@code filters} filters of {@code size} steps and the named activation (null: none). */
    public Conv1DTranspose(int filters, int size, String activation) {
        if (filters < 1 || size < 1) {
            throw new IllegalArgumentException("Conv1DTranspose: filters and size must be >= 1, got " + filters
                    + ", " + size);
        }
        this.filters = filters;
        this.size = size;
        this.activation = Activations.get(activation);
    }

    /** Steps between the input's positions in the output (>= 1). */
    public Conv1DTranspose strides(int s) {
        if (s < 1) throw new IllegalArgumentException("Conv1DTranspose: strides must be >= 1, got " + s);
        stride = s;
        return this;
    }

    /** The spacing of the kernel's taps (>= 1). */
    public Conv1DTranspose dilationRate(int d) {
        if (d < 1) throw new IllegalArgumentException("Conv1DTranspose: dilation rate must be >= 1, got " + d);
        dilation = d;
        return this;
    }

    /** Extra steps at the end of the output (below the stride or dilation). */
    public Conv1DTranspose outputPadding(int p) {
        if (p < 0) throw new IllegalArgumentException("Conv1DTranspose: output padding must be >= 0, got " + p);
        outputPadding = p;
        return this;
    }

    /** "valid" or "same". */
    public Conv1DTranspose padding(String p) {
        same = Pooling.checkPadding("Conv1DTranspose", p).equals("SAME");
        return this;
    }

    /** Whether to add a bias per filter (default true). */
    public Conv1DTranspose useBias(boolean b) { useBias = b; return this; }

    /** The kernel's initializer (default Glorot uniform). */
    public Conv1DTranspose kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 3, "sequences (batch, steps, channels)");
        if (shapes[0].dim(2) < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
        if (outputPadding >= Math.max(stride, dilation)) {
            throw new IllegalArgumentException(describe() + ": output padding " + outputPadding
                    + " must be smaller than the stride " + stride + " or the dilation " + dilation);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(size, filters, in[0].dim(2)), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), Initializers.zeros(), true);
    }

    private TransposedConv.Axis axis(int steps) {
        return TransposedConv.Axis.of(steps, size, stride, dilation, same, outputPadding);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        if (in[0].dim(1) < 0) throw new IllegalArgumentException(describe() + " needs a known number of steps");
        return Shape.of(in[0].dim(0), axis(in[0].dim(1)).out(), filters);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = Ops.expandDims(inputs[0], 1); // [N, 1, T, C]
        Tensor k = Ops.expandDims(read(kernel), 0);
        Tensor y = Ops.squeeze(TransposedConv.apply(x, k, TransposedConv.Axis.of(1, 1, 1, 1, false, -1),
                axis(inputs[0].shape().dim(1)), new int[] {1, stride}, new int[] {1, dilation}), 1);
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
