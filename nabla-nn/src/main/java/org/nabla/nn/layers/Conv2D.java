package org.nabla.nn.layers;

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
import org.nabla.nn.TrainingOps;

/**
 * 2-D convolution over NHWC inputs: {@code activation(conv2d(x, kernel) + bias)}; kernel [kh, kw, in, filters]
 * (Glorot uniform), bias [filters] (zeros); padding "valid" (default) or "same", strides (1, 1) by default;
 * Keras' {@code dilation_rate} and {@code groups} (the kernel is then [kh, kw, in / groups, filters]).
 */
public final class Conv2D extends Layer {
    private final int filters;
    private final int kh;
    private final int kw;
    private int strideH = 1;
    private int strideW = 1;
    private String padding = "VALID";
    private int dilationH = 1;
    private int dilationW = 1;
    private int groups = 1;
    private final String activationName;
    private final UnaryOperator<Tensor> activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Variable kernel;
    private Variable bias;

    /**
     * {@code filters} output channels from {@code kernelSize} x {@code kernelSize} windows, linear, stride 1, "valid".
     */
    public Conv2D(int filters, int kernelSize) { this(filters, kernelSize, kernelSize, null); }

    /** Like {@link #Conv2D(int, int)} followed by the named activation (null: linear). */
    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, kernelSize, kernelSize, activation);
    }

    /** {@code filters} output channels from {@code kh} x {@code kw} windows; throws for sizes below 1. */
    public Conv2D(int filters, int kh, int kw, String activation) {
        if (filters <= 0 || kh <= 0 || kw <= 0) {
            throw new IllegalArgumentException("Conv2D: filters and kernel size must be positive, got filters="
                    + filters + ", kernel " + kh + "x" + kw);
        }
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
        this.activationName = activation;
        this.activation = Activations.get(activation);
    }

    /** Steps between windows along height and width (positive; default 1). */
    public Conv2D strides(int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("Conv2D: strides must be positive, got " + h + ", " + w);
        }
        strideH = h;
        strideW = w;
        return this;
    }

    /** The same step along height and width. */
    public Conv2D strides(int s) { return strides(s, s); }

    /** The spacing of the kernel's taps along height and width (Keras' {@code dilation_rate}; default 1). */
    public Conv2D dilationRate(int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("Conv2D: dilation rate must be positive, got " + h + ", " + w);
        }
        dilationH = h;
        dilationW = w;
        return this;
    }

    /** The same dilation along height and width. */
    public Conv2D dilationRate(int d) { return dilationRate(d, d); }

    /** Splits the channels into {@code g} independent groups; input channels and filters must divide by it. */
    public Conv2D groups(int g) {
        if (g <= 0) throw new IllegalArgumentException("Conv2D: groups must be positive, got " + g);
        groups = g;
        return this;
    }

    /** "valid" or "same" (any case). */
    public Conv2D padding(String p) {
        padding = Pooling.checkPadding("Conv2D", p);
        return this;
    }

    /** Whether to add a bias per filter (default true); set before building. */
    public Conv2D useBias(boolean b) { useBias = b; return this; }

    /** How the kernel starts (default Glorot uniform); set before building. */
    public Conv2D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    /** How the bias starts (default zeros); set before building. */
    public Conv2D biasInitializer(Initializer i) { biasInitializer = i; return this; }

    /** The kernel [kh, kw, in, filters] (HWIO); null before the layer is built. */
    public Variable kernel() { return kernel; }

    /** The bias [filters]; null before the layer is built or without a bias. */
    public Variable bias() { return bias; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        int c = shapes[0].dim(3);
        if (c < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
        if (c % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException(describe() + ": channels " + c + " and filters " + filters
                    + " must be divisible by groups " + groups);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(kh, kw, in[0].dim(3) / groups, filters), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), biasInitializer, true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), Pooling.outSize(s.dim(1), dilationH * (kh - 1) + 1, strideH, padding, describe()),
                Pooling.outSize(s.dim(2), dilationW * (kw - 1) + 1, strideW, padding, describe()), filters);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = Ops.conv2d(inputs[0], read(kernel), Conv2dOptions.defaults().strides(strideH, strideW)
                .padding(padding).dilations(dilationH, dilationW).groups(groups));
        if (useBias && "relu".equalsIgnoreCase(activationName)) return TrainingOps.biasRelu(y, read(bias));
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
