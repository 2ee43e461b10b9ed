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
 * Transposed 2-D convolution (Keras' {@code Conv2DTranspose}, the gradient of a convolution; "deconvolution"): NHWC
 * [N, H, W, C] to [N, H', W', filters] with a kernel [kh, kw, filters, C] (Keras' layout), strides, padding "valid"
 * or "same", output padding and dilation, sizes as Keras computes them (valid: {@code H * stride + max(k - stride, 0)};
 * same: {@code H * stride}; with output padding {@code (H - 1) * stride + k - 2 * pad + output_padding}).
 */
public final class Conv2DTranspose extends Layer {
    private final int filters;
    private final int kh;
    private final int kw;
    private final UnaryOperator<Tensor> activation;
    private int[] strides = {1, 1};
    private int[] dilations = {1, 1};
    private int[] outputPadding = {-1, -1};
    private boolean same;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable kernel;
    private Variable bias;

    /** {@code filters} output channels from {@code size} x {@code size} windows, linear. */
    public Conv2DTranspose(int filters, int size) { this(filters, size, size, null); }

    /** {@code filters} output channels from {@code kh} x {@code kw} windows and the named activation (null: none). */
    public Conv2DTranspose(int filters, int kh, int kw, String activation) {
        if (filters < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("Conv2DTranspose: filters and kernel size must be >= 1, got "
                    + filters + ", " + kh + "x" + kw);
        }
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
        this.activation = Activations.get(activation);
    }

    /** Steps between the input's positions in the output (>= 1). */
    public Conv2DTranspose strides(int h, int w) {
        strides = positive("strides", h, w);
        return this;
    }

    /** The spacing of the kernel's taps (>= 1; Keras' {@code dilation_rate}). */
    public Conv2DTranspose dilationRate(int h, int w) {
        dilations = positive("dilation rate", h, w);
        return this;
    }

    /** Extra rows and columns at the end of the output (each below its stride or dilation; Keras' rule). */
    public Conv2DTranspose outputPadding(int h, int w) {
        if (h < 0 || w < 0) {
            throw new IllegalArgumentException("Conv2DTranspose: output padding must be >= 0, got " + h + ", " + w);
        }
        outputPadding = new int[] {h, w};
        return this;
    }

    /** "valid" or "same". */
    public Conv2DTranspose padding(String p) {
        same = Pooling.checkPadding("Conv2DTranspose", p).equals("SAME");
        return this;
    }

    /** Whether to add a bias per filter (default true). */
    public Conv2DTranspose useBias(boolean b) { useBias = b; return this; }

    /** The kernel's initializer (default Glorot uniform). */
    public Conv2DTranspose kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    private static int[] positive(String what, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("Conv2DTranspose: " + what + " must be >= 1, got " + h + ", " + w);
        }
        return new int[] {h, w};
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(3) < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= Math.max(strides[i], dilations[i])) {
                throw new IllegalArgumentException(describe() + ": output padding " + outputPadding[i]
                        + " must be smaller than the stride " + strides[i] + " or the dilation " + dilations[i]);
            }
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(kh, kw, filters, in[0].dim(3)), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), Initializers.zeros(), true);
    }

    private TransposedConv.Axis axis(int in, int i) {
        return TransposedConv.Axis.of(in, i == 0 ? kh : kw, strides[i], dilations[i], same, outputPadding[i]);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int h = in[0].dim(1), w = in[0].dim(2);
        if (h < 0 || w < 0) {
            throw new IllegalArgumentException(describe() + " needs known height and width, got " + in[0]);
        }
        return Shape.of(in[0].dim(0), axis(h, 0).out(), axis(w, 1).out(), filters);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        Tensor y = TransposedConv.apply(x, read(kernel), axis(x.shape().dim(1), 0), axis(x.shape().dim(2), 1),
                strides, dilations);
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
