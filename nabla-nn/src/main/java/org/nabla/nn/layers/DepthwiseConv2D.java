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

/**
 * Depthwise 2-D convolution (Keras' {@code DepthwiseConv2D}): each input channel convolved with its own
 * {@code depthMultiplier} filters, NHWC [N, H, W, C] to [N, H', W', C * depthMultiplier] (channel {@code c * M + m});
 * kernel [kh, kw, C, M] (Keras' layout). It runs as a Conv2D with C groups of one channel each.
 */
public final class DepthwiseConv2D extends Layer {
    private final int kh;
    private final int kw;
    private final UnaryOperator<Tensor> activation;
    private int depthMultiplier = 1;
    private int[] strides = {1, 1};
    private int[] dilations = {1, 1};
    private String padding = "VALID";
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable kernel;
    private Variable bias;

    /** {@code size} x {@code size} windows, multiplier 1, linear. */
    public DepthwiseConv2D(int size) { this(size, size, null); }

    /** {@code kh} x {@code kw} windows followed by the named activation (null: none). */
    public DepthwiseConv2D(int kh, int kw, String activation) {
        if (kh < 1 || kw < 1) {
            throw new IllegalArgumentException("DepthwiseConv2D: kernel size must be >= 1, got " + kh + "x" + kw);
        }
        this.kh = kh;
        this.kw = kw;
        this.activation = Activations.get(activation);
    }

    /** Filters per input channel (>= 1; Keras' {@code depth_multiplier}). */
    public DepthwiseConv2D depthMultiplier(int m) {
        if (m < 1) throw new IllegalArgumentException("DepthwiseConv2D: depth multiplier must be >= 1, got " + m);
        depthMultiplier = m;
        return this;
    }

    /** Steps between windows (>= 1). */
    public DepthwiseConv2D strides(int h, int w) {
        strides = SeparableConv2D.positive("DepthwiseConv2D", "strides", h, w);
        return this;
    }

    /** The spacing of the kernel's taps (>= 1). */
    public DepthwiseConv2D dilationRate(int h, int w) {
        dilations = SeparableConv2D.positive("DepthwiseConv2D", "dilation rate", h, w);
        return this;
    }

    /** "valid" or "same". */
    public DepthwiseConv2D padding(String p) {
        padding = Pooling.checkPadding("DepthwiseConv2D", p);
        return this;
    }

    /** Whether to add a bias per output channel (default true). */
    public DepthwiseConv2D useBias(boolean b) { useBias = b; return this; }

    /** The kernel's initializer (default Glorot uniform). */
    public DepthwiseConv2D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(3) < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
    }

    @Override
    protected void createWeights(Shape[] in) {
        int c = in[0].dim(3);
        kernel = addWeight("depthwise_kernel", Shape.of(kh, kw, c, depthMultiplier), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(c * depthMultiplier), Initializers.zeros(), true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        return SeparableConv2D.windowShape(in[0], kh, kw, strides, dilations, padding, in[0].dim(3) * depthMultiplier,
                describe());
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = depthwise(inputs[0], read(kernel), strides, dilations, padding);
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }

    /** The depthwise convolution of x by a [kh, kw, C, M] kernel: a Conv2D with C groups. */
    static Tensor depthwise(Tensor x, Tensor kernel, int[] strides, int[] dilations, String padding) {
        Shape k = kernel.shape();
        int c = k.dim(2);
        Tensor filter = Ops.reshape(kernel, k.dim(0), k.dim(1), 1, c * k.dim(3));
        return Ops.conv2d(x, filter, Conv2dOptions.defaults().strides(strides[0], strides[1]).padding(padding)
                .dilations(dilations[0], dilations[1]).groups(c));
    }
}
