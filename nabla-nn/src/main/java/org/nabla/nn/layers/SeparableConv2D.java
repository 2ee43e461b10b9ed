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
 * Depthwise separable 2-D convolution (Keras' {@code SeparableConv2D}): a {@link DepthwiseConv2D} (kernel
 * [kh, kw, C, M]) followed by a 1x1 convolution to {@code filters} channels (kernel [1, 1, C * M, filters]), then the
 * bias and activation; strides, dilation and padding apply to the depthwise step.
 */
public final class SeparableConv2D extends Layer {
    private final int filters;
    private final int kh;
    private final int kw;
    private final UnaryOperator<Tensor> activation;
    private int depthMultiplier = 1;
    private int[] strides = {1, 1};
    private int[] dilations = {1, 1};
    private String padding = "VALID";
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable depthwise;
    private Variable pointwise;
    private Variable bias;

    /** {@code filters} output channels from {@code size} x {@code size} windows, linear. */
    public SeparableConv2D(int filters, int size) { this(filters, size, size, null); }

    /** {@code filters} output channels from {@code kh} x {@code kw} windows and the named activation (null: none). */
    public SeparableConv2D(int filters, int kh, int kw, String activation) {
        if (filters < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("SeparableConv2D: filters and kernel size must be >= 1, got "
                    + filters + ", " + kh + "x" + kw);
        }
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
        this.activation = Activations.get(activation);
    }

    /** Depthwise filters per input channel (>= 1). */
    public SeparableConv2D depthMultiplier(int m) {
        if (m < 1) throw new IllegalArgumentException("SeparableConv2D: depth multiplier must be >= 1, got " + m);
        depthMultiplier = m;
        return this;
    }

    /** Steps between windows (>= 1). */
    public SeparableConv2D strides(int h, int w) {
        strides = positive("SeparableConv2D", "strides", h, w);
        return this;
    }

    /** The spacing of the depthwise kernel's taps (>= 1). */
    public SeparableConv2D dilationRate(int h, int w) {
        dilations = positive("SeparableConv2D", "dilation rate", h, w);
        return this;
    }

    /** "valid" or "same". */
    public SeparableConv2D padding(String p) {
        padding = Pooling.checkPadding("SeparableConv2D", p);
        return this;
    }

    /** Whether to add a bias per filter (default true). */
    public SeparableConv2D useBias(boolean b) { useBias = b; return this; }

    /** The initializer of both kernels (default Glorot uniform). */
    public SeparableConv2D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    static int[] positive(String layer, String what, int h, int w) {
        if (h < 1 || w < 1) throw new IllegalArgumentException(layer + ": " + what + " must be >= 1, got " + h + ", " + w);
        return new int[] {h, w};
    }

    /** NHWC output shape of a window of kh x kw (dilated) with the given strides and padding, to {@code channels}. */
    static Shape windowShape(Shape in, int kh, int kw, int[] strides, int[] dilations, String padding, int channels,
                             String who) {
        return Shape.of(in.dim(0), Pooling.outSize(in.dim(1), (kh - 1) * dilations[0] + 1, strides[0], padding, who),
                Pooling.outSize(in.dim(2), (kw - 1) * dilations[1] + 1, strides[1], padding, who), channels);
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(3) < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
    }

    @Override
    protected void createWeights(Shape[] in) {
        int c = in[0].dim(3);
        depthwise = addWeight("depthwise_kernel", Shape.of(kh, kw, c, depthMultiplier), kernelInitializer, true);
        pointwise = addWeight("pointwise_kernel", Shape.of(1, 1, c * depthMultiplier, filters), kernelInitializer,
                true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), Initializers.zeros(), true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        return windowShape(in[0], kh, kw, strides, dilations, padding, filters, describe());
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor d = DepthwiseConv2D.depthwise(inputs[0], read(depthwise), strides, dilations, padding);
        Tensor y = Ops.conv2d(d, read(pointwise), 1, "VALID");
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
