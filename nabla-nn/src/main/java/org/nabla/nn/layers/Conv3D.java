package org.nabla.nn.layers;

import java.util.ArrayList;
import java.util.List;
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
 * 3-D convolution over volumes (Keras' {@code Conv3D}): NDHWC [N, D, H, W, C] to [N, D', H', W', filters] with a
 * kernel [kd, kh, kw, C / groups, filters], strides, dilation, groups and padding "valid" or "same". It runs on the
 * 2-D convolution: the kd depth taps of every output frame are gathered (strided slices of the input) and either
 * stacked along the channels so that one Conv2D over the frames does the work (groups 1), or convolved tap by tap
 * and summed (grouped); gradients come from those ops.
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
        Tensor x = inputs[0];
        Shape s = x.shape();
        int depth = s.dim(1), h = s.dim(2), w = s.dim(3), c = s.dim(4);
        int outD = Pooling.outSize(depth, span(0), strides[0], padding, describe());
        if (padding.equals("SAME")) { // TensorFlow's SAME along depth; height and width are Conv2D's own SAME
            int total = Math.max((outD - 1) * strides[0] + span(0) - depth, 0);
            x = Ops.pad(x, new int[][] {{0, 0}, {total / 2, total - total / 2}, {0, 0}, {0, 0}, {0, 0}});
        }
        // frames[t] holds, for every output frame, its input frame at depth tap t: [N, outD, H, W, C]
        List<Tensor> frames = new ArrayList<>();
        for (int t = 0; t < size[0]; t++) {
            int begin = t * dilations[0];
            frames.add(Ops.stridedSlice(x, new int[] {0, begin, 0, 0, 0},
                    new int[] {0, begin + (outD - 1) * strides[0] + 1, 0, 0, 0}, new int[] {1, strides[0], 1, 1, 1},
                    0b11101, 0b11101, 0, 0, 0));
        }
        Conv2dOptions o = Conv2dOptions.defaults().strides(strides[1], strides[2]).padding(padding)
                .dilations(dilations[1], dilations[2]).groups(groups);
        Tensor k = kernel.read();
        int cg = c / groups;
        Tensor y;
        if (groups == 1) { // one convolution over kd * C channels, ordered (tap, channel) on both sides
            Tensor stacked = Ops.reshape(Ops.concat(frames, 4), -1, h, w, size[0] * c);
            Tensor filter = Ops.reshape(Ops.transpose(k, 1, 2, 0, 3, 4), size[1], size[2], size[0] * c, filters);
            y = Ops.conv2d(stacked, filter, o);
        } else {
            y = null;
            for (int t = 0; t < size[0]; t++) {
                Tensor tap = Ops.reshape(Ops.slice(k, new int[] {t, 0, 0, 0, 0}, new int[] {1, -1, -1, -1, -1}),
                        size[1], size[2], cg, filters);
                Tensor part = Ops.conv2d(Ops.reshape(frames.get(t), -1, h, w, c), tap, o);
                y = y == null ? part : Ops.add(y, part);
            }
        }
        Shape o2 = y.shape();
        y = Ops.reshape(y, -1, outD, o2.dim(1), o2.dim(2), filters);
        if (useBias) y = Ops.biasAdd(y, bias.read());
        return activation.apply(y);
    }
}
