package org.nabla.nn.layers;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nabla.Conv2dOptions;
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
 * 1-D convolution over sequences (Keras' {@code Conv1D}): [N, T, C] to [N, T', filters] with a kernel
 * [size, C / groups, filters] (Keras' layout), strides, dilation, groups and padding "valid", "same" or "causal"
 * (left padding only, so step t sees the inputs up to t). It runs as a 2-D convolution of height 1.
 */
public final class Conv1D extends Layer {
    private final int filters;
    private final int size;
    private final UnaryOperator<Tensor> activation;
    private int stride = 1;
    private int dilation = 1;
    private int groups = 1;
    private String padding = "valid";
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable kernel;
    private Variable bias;

    /** {@code filters} filters of {@code size} steps, no activation. */
    public Conv1D(int filters, int size) { this(filters, size, null); }

    /** {@code filters} filters of {@code size} steps followed by {@code activation} (a name, or null for none). */
    public Conv1D(int filters, int size, String activation) {
        if (filters < 1 || size < 1) {
            throw new IllegalArgumentException("Conv1D: filters and size must be >= 1, got " + filters + ", " + size);
        }
        this.filters = filters;
        this.size = size;
        this.activation = activation == null ? x -> x : Activations.get(activation);
    }

    /** The step between windows (>= 1). */
    public Conv1D strides(int s) {
        if (s < 1) throw new IllegalArgumentException("Conv1D: strides must be >= 1, got " + s);
        stride = s;
        return this;
    }

    /** The spacing of the kernel's taps (>= 1; Keras' {@code dilation_rate}). */
    public Conv1D dilationRate(int d) {
        if (d < 1) throw new IllegalArgumentException("Conv1D: dilation rate must be >= 1, got " + d);
        dilation = d;
        return this;
    }

    /** Splits channels into {@code g} independent groups (C and filters must divide by it). */
    public Conv1D groups(int g) {
        if (g < 1) throw new IllegalArgumentException("Conv1D: groups must be >= 1, got " + g);
        groups = g;
        return this;
    }

    /** "valid", "same" or "causal". */
    public Conv1D padding(String p) {
        String v = p.toLowerCase(Locale.ROOT);
        if (!v.equals("valid") && !v.equals("same") && !v.equals("causal")) {
            throw new IllegalArgumentException("Conv1D: padding must be valid, same or causal, got " + p);
        }
        padding = v;
        return this;
    }

    /** Whether to add a bias per filter (default true). */
    public Conv1D useBias(boolean b) { useBias = b; return this; }

    /** The kernel's initializer (default Glorot uniform). */
    public Conv1D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 3, "sequences (batch, steps, channels)");
        int c = shapes[0].dim(2);
        if (c < 0 || c % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException(describe() + ": channels " + c + " and filters " + filters
                    + " must be known and divisible by groups " + groups);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(size, in[0].dim(2) / groups, filters), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), Initializers.zeros(), true);
    }

    private int span() { return dilation * (size - 1) + 1; }

    @Override
    public Shape outputShape(Shape[] in) {
        int t = in[0].dim(1);
        int out = t < 0 ? -1 : switch (padding) {
            case "valid" -> (t - span()) / stride + 1;
            default -> (t + stride - 1) / stride;   // same; causal pads span - 1 on the left, then valid
        };
        if (padding.equals("causal") && t >= 0) out = (t - 1) / stride + 1;
        if (t >= 0 && out < 1) {
            throw new IllegalArgumentException(describe() + ": " + t + " steps are fewer than the kernel's span "
                    + span());
        }
        return Shape.of(in[0].dim(0), out, filters);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = Ops.expandDims(inputs[0], 1);   // [N, 1, T, C]
        Conv2dOptions o = Conv2dOptions.defaults().strides(1, stride).dilations(1, dilation).groups(groups);
        o = padding.equals("causal") ? o.explicitPaddings(0, 0, span() - 1, 0)
                : o.padding(padding.toUpperCase(Locale.ROOT));
        Tensor k = Ops.expandDims(read(kernel), 0);   // [1, size, C / groups, filters]
        Tensor y = Ops.squeeze(Ops.conv2d(x, k, o), 1);
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
