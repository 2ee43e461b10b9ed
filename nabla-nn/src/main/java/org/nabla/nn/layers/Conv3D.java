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
 * 3-D convolution over volumes (Keras' {@code Conv3D}): NDHWC [N, D, H, W, C] to [N, D', H', W', filters] with a
 * kernel [kd, kh, kw, C / groups, filters], strides, dilation, groups and padding "valid" or "same", by
 * {@code Ops.conv3d} (composed of 2-D convolutions).
 */
public final class Conv3D extends Layer {
    private final int filters;
    private final int[] size;
    private final UnaryOperator<Tensor> activation;
    private int[] strides = {1, 1, 1};
    private int[] dilations = {1, 1, 1};
    private int groups = 1;
    private String padding = "VALID";
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Variable kernel;
    private Variable bias;

    /** {@code filters} output channels from k x k x k windows, linear. */
    public Conv3D(int filters, int k) { this(filters, k, k, k, null); }

    /** {@code filters} output channels from kd x kh x kw windows and the named activation (null: none). */
    public Conv3D(int filters, int kd, int kh, int kw, String activation) {
        if (filters < 1 || kd < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("Conv3D: filters and kernel size must be >= 1, got " + filters + ", "
                    + kd + "x" + kh + "x" + kw);
        }
        this.filters = filters;
        this.size = new int[] {kd, kh, kw};
        this.activation = Activations.get(activation);
    }

    /** Steps between windows along depth, height and width (>= 1). */
    public Conv3D strides(int d, int h, int w) {
        strides = positive("strides", d, h, w);
        return this;
    }

    /** The spacing of the kernel's taps along depth, height and width (>= 1). */
    public Conv3D dilationRate(int d, int h, int w) {
        dilations = positive("dilation rate", d, h, w);
        return this;
    }

    /** Splits the channels into {@code g} independent groups (channels and filters divide by it). */
    public Conv3D groups(int g) {
        if (g < 1) throw new IllegalArgumentException("Conv3D: groups must be >= 1, got " + g);
        groups = g;
        return this;
    }

    /** "valid" or "same". */
    public Conv3D padding(String p) {
        padding = Pooling.checkPadding("Conv3D", p);
        return this;
    }

    /** Whether to add a bias per filter (default true). */
    public Conv3D useBias(boolean b) { useBias = b; return this; }

    /** The kernel's initializer (default Glorot uniform). */
    public Conv3D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    private static int[] positive(String what, int... v) {
        for (int x : v) if (x < 1) throw new IllegalArgumentException("Conv3D: " + what + " must be >= 1, got " + x);
        return v.clone();
    }

    private int span(int axis) { return (size[axis] - 1) * dilations[axis] + 1; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 5, "NDHWC volumes (batch, depth, height, width, channels)");
        int c = shapes[0].dim(4);
        if (c < 0 || shapes[0].dim(1) < 0) {
            throw new IllegalArgumentException(describe() + " needs known depth and channels, got " + shapes[0]);
        }
        if (c % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException(describe() + ": channels " + c + " and filters " + filters
                    + " must be divisible by groups " + groups);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        kernel = addWeight("kernel", Shape.of(size[0], size[1], size[2], in[0].dim(4) / groups, filters),
                kernelInitializer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), Initializers.zeros(), true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) out[i] = Pooling.outSize(s.dim(1 + i), span(i), strides[i], padding, describe());
        return Shape.of(s.dim(0), out[0], out[1], out[2], filters);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = Ops.conv3d(inputs[0], read(kernel), strides, padding, dilations, groups);
        if (useBias) y = Ops.biasAdd(y, read(bias));
        return activation.apply(y);
    }
}
