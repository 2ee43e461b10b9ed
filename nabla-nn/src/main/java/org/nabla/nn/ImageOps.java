package org.nabla.nn;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Ops of the noise and augmentation layers, with their CPU kernels (an {@link OpLibrary} listed in nabla-nn's
 * services):
 * <ul>
 * <li>{@code StepRandom(like, step)}: uniform [0, 1) or standard normal samples keyed by the {@code seed} attribute
 *     and the run-time int64 {@code step} (like StepDropout, so a traced training step draws new values each step and
 *     a run is reproducible given the seed); its shape is the first {@code leading} dims of {@code like} (read at run
 *     time, so a symbolic batch works) followed by {@code dims}. Not differentiable: its values do not depend on
 *     {@code like}'s.</li>
 * <li>{@code ImageTransform(images, transforms)}: TensorFlow's ImageProjectiveTransformV3 as Keras uses it: NHWC
 *     images, one row {@code [a0, a1, a2, b0, b1, b2, c0, c1]} per image mapping each output pixel (x, y) to the input
 *     point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1; bilinear or nearest sampling and
 *     the fill modes constant, nearest, reflect (d c b a | a b c d), mirror (d c b | a b c d) and wrap, as
 *     {@code jax.scipy.ndimage.map_coordinates} samples (in constant mode each corner outside the image contributes
 *     the fill value). Not differentiable: augmentation sits on the model's inputs.</li>
 * </ul>
 */
public final class ImageOps implements OpLibrary {
    /** Made by the op library loader (ServiceLoader). */
    public ImageOps() {}

    private static final List<String> FILL_MODES = List.of("CONSTANT", "NEAREST", "REFLECT", "MIRROR", "WRAP");

    /** Samples keyed by (seed, step), shaped like the first {@code leading} dims of {@code like} then {@code dims}. */
    public static final OpDef STEP_RANDOM = OpDef.builder("StepRandom").inputs("like", "step")
            .attr("distribution", AttrType.STRING, "UNIFORM")
            .attr("leading", AttrType.INT)
            .attr("dims", AttrType.INTS, new int[0])
            .attr("seed", AttrType.LONG, 0L)
            .kernelDTypeFromInput(0)
            .shape(ImageOps::randomShape)
            .stateful().notDifferentiable()
            .summary("uniform [0, 1) or standard normal samples keyed by (seed, step), shaped [like.shape[:leading], "
                    + "*dims]").build();

    /** Projective transform of NHWC images, one 8-parameter row per image. */
    public static final OpDef IMAGE_TRANSFORM = OpDef.builder("ImageTransform").inputs("images", "transforms")
            .attr("outputHeight", AttrType.INT, 0)
            .attr("outputWidth", AttrType.INT, 0)
            .attr("interpolation", AttrType.STRING, "BILINEAR")
            .attr("fillMode", AttrType.STRING, "CONSTANT")
            .attr("fillValue", AttrType.FLOAT, 0.0)
            .shape(ImageOps::transformShape)
            .notDifferentiable()
            .summary("samples NHWC images at the points each output pixel maps to (TensorFlow's "
                    + "ImageProjectiveTransformV3; bilinear or nearest; fill constant, nearest, reflect, mirror, wrap)")
            .build();

    @Override
    public Collection<OpDef> ops() { return List.of(STEP_RANDOM, IMAGE_TRANSFORM); }

    /** Uniform [0, 1) samples of {@code like}'s dtype, shaped [like.shape[:leading], *dims]. */
    public static Tensor stepUniform(Tensor like, int leading, int[] dims, Tensor step, long seed) {
        return Ops.run(STEP_RANDOM, Attrs.of("distribution", "UNIFORM", "leading", leading, "dims", dims, "seed", seed),
                like, step);
    }

    /** Standard normal samples of {@code like}'s dtype, shaped [like.shape[:leading], *dims]. */
    public static Tensor stepNormal(Tensor like, int leading, int[] dims, Tensor step, long seed) {
        return Ops.run(STEP_RANDOM, Attrs.of("distribution", "NORMAL", "leading", leading, "dims", dims, "seed", seed),
                like, step);
    }

    /**
     * NHWC {@code images} sampled through {@code transforms} [N, 8] into an output of {@code outHeight} x
     * {@code outWidth} (0: the input's); interpolation "bilinear" or "nearest", fill mode "constant", "nearest",
     * "reflect", "mirror" or "wrap" (any case).
     */
    public static Tensor imageTransform(Tensor images, Tensor transforms, int outHeight, int outWidth,
                                        String interpolation, String fillMode, double fillValue) {
        return Ops.run(IMAGE_TRANSFORM, Attrs.of("outputHeight", outHeight, "outputWidth", outWidth, "interpolation",
                interpolation.toUpperCase(Locale.ROOT), "fillMode", fillMode.toUpperCase(Locale.ROOT), "fillValue",
                fillValue), images, transforms);
    }

    /** The fill mode in upper case, or an exception naming the valid ones. */
    public static String checkFillMode(String who, String mode) {
        String m = mode == null ? "" : mode.toUpperCase(Locale.ROOT);
        if (!FILL_MODES.contains(m)) {
            throw new IllegalArgumentException(who + ": fill mode must be constant, nearest, reflect, mirror or wrap, "
                    + "got \"" + mode + "\"");
        }
        return m;
    }

    /** The interpolation in upper case, or an exception naming the valid ones. */
    public static String checkInterpolation(String who, String interpolation) {
        String m = interpolation == null ? "" : interpolation.toUpperCase(Locale.ROOT);
        if (!m.equals("BILINEAR") && !m.equals("NEAREST")) {
            throw new IllegalArgumentException(who + ": interpolation must be bilinear or nearest, got \""
                    + interpolation + "\"");
        }
        return m;
    }

    private static TensorSpec[] randomShape(TensorSpec[] in, Attrs a) {
        String op = "StepRandom";
        Infer.requireFloating(op, "like", in[0]);
        if (in[1].dtype() != DType.INT64 || in[1].shape().rank() != 0) {
            throw new OpException(op, "step must be an int64 scalar, got " + in[1]);
        }
        String d = a.getString("distribution");
        if (!d.equals("UNIFORM") && !d.equals("NORMAL")) {
            throw new OpException(op, "distribution must be \"UNIFORM\" or \"NORMAL\", got \"" + d + "\"");
        }
        int leading = a.getInt("leading");
        int[] dims = a.getInts("dims");
        Shape like = in[0].shape();
        if (leading < 0 || leading > like.rank()) {
            throw new OpException(op, "leading " + leading + " must be in [0, " + like.rank() + "] for like " + like);
        }
        if (Arrays.stream(dims).anyMatch(x -> x < 0)) {
            throw new OpException(op, "dims must be >= 0, got " + Arrays.toString(dims));
        }
        int[] out = new int[leading + dims.length];
        for (int i = 0; i < leading; i++) out[i] = like.dim(i);
        System.arraycopy(dims, 0, out, leading, dims.length);
        return Infer.one(in[0].dtype(), Shape.of(out));
    }

    private static TensorSpec[] transformShape(TensorSpec[] in, Attrs a) {
        String op = "ImageTransform";
        Infer.requireFloating(op, "images", in[0]);
        Infer.requireRank(op, "images", in[0], 4);
        Infer.requireRank(op, "transforms", in[1], 2);
        if (in[1].dtype() != DType.FLOAT32 && in[1].dtype() != DType.FLOAT64) {
            throw new OpException(op, "transforms must be float32 or float64, got " + in[1]);
        }
        Shape x = in[0].shape(), t = in[1].shape();
        if (t.dim(1) >= 0 && t.dim(1) != 8) throw new OpException(op, "transforms must be [N, 8], got " + t);
        if (x.dim(0) >= 0 && t.dim(0) >= 0 && x.dim(0) != t.dim(0)) {
            throw new OpException(op, "images " + x + " and transforms " + t + " must have one batch size");
        }
        if (!FILL_MODES.contains(a.getString("fillMode"))) {
            throw new OpException(op, "fillMode must be one of " + FILL_MODES + ", got \"" + a.getString("fillMode")
                    + "\"");
        }
        String interp = a.getString("interpolation");
        if (!interp.equals("BILINEAR") && !interp.equals("NEAREST")) {
            throw new OpException(op, "interpolation must be \"BILINEAR\" or \"NEAREST\", got \"" + interp + "\"");
        }
        int oh = a.getInt("outputHeight"), ow = a.getInt("outputWidth");
        if (oh < 0 || ow < 0) throw new OpException(op, "output size must be >= 0, got " + oh + "x" + ow);
        return Infer.one(in[0].dtype(), Shape.of(x.dim(0), oh == 0 ? x.dim(1) : oh, ow == 0 ? x.dim(2) : ow,
                x.dim(3)));
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(STEP_RANDOM, CpuDevice.TYPE, d, ImageOps::random);
            r.register(IMAGE_TRANSFORM, CpuDevice.TYPE, d, ImageOps::transform);
        }
    }

    // ---------------------------------------------------------------- kernels

    /** Uniform [0, 1) from 53 random bits of element {@code i}'s hash. */
    private static double uniform(long key, long i) {
        return (TrainingOps.mix(key + i * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    private static Tensor[] random(KernelContext ctx) {
        Attrs a = ctx.attrs();
        Shape shape = ctx.outputSpec(0).shape();
        Tensor like = ctx.input(0);
        int leading = a.getInt("leading");
        int[] dims = new int[shape.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = i < leading ? like.shape().dim(i) : shape.dim(i);
        Shape out = Shape.of(dims);
        int n = out.intSize();
        long key = TrainingOps.dropoutKey(a.getLong("seed") ^ 0x3C6EF372FE94F82BL, ((long[]) ctx.input(1).data())[0]);
        boolean normal = a.getString("distribution").equals("NORMAL");
        double[] v = new double[n];
        Parallel.forRange(n, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!normal) {
                    v[i] = uniform(key, i);
                } else { // Box-Muller on two uniforms of this element; 1 - u is in (0, 1]
                    double u1 = 1 - uniform(key, 2L * i), u2 = uniform(key, 2L * i + 1);
                    v[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                }
            }
        });
        if (like.dtype() == DType.FLOAT64) return new Tensor[] {Tensor.wrap(DType.FLOAT64, out, v)};
        float[] f = ctx.allocateFloats(n);
        for (int i = 0; i < n; i++) f[i] = (float) Math.min(v[i], normal ? Double.MAX_VALUE : 0x1.fffffep-1);
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, out, f)};
    }

    private static Tensor[] transform(KernelContext ctx) {
        Tensor images = ctx.input(0);
        double[] t = ctx.input(1).toDoubleArray();
        Attrs a = ctx.attrs();
        Shape s = images.shape();
        int n = s.dim(0), h = s.dim(1), w = s.dim(2), c = s.dim(3);
        int oh = a.getInt("outputHeight") == 0 ? h : a.getInt("outputHeight");
        int ow = a.getInt("outputWidth") == 0 ? w : a.getInt("outputWidth");
        if (t.length != 8L * n) {
            throw new OpException("ImageTransform", "transforms hold " + t.length / 8 + " rows for " + n + " images");
        }
        boolean nearest = a.getString("interpolation").equals("NEAREST");
        String mode = a.getString("fillMode");
        double fill = a.getDouble("fillValue");
        double[] x = images.toDoubleArray();
        double[] y = new double[n * oh * ow * c];
        Parallel.forRange(n * oh, 4, (from, to) -> {
            for (int row = from; row < to; row++) {
                int b = row / oh, oy = row % oh;
                int tb = 8 * b;
                for (int ox = 0; ox < ow; ox++) {
                    double k = t[tb + 6] * ox + t[tb + 7] * oy + 1;
                    double sx = (t[tb] * ox + t[tb + 1] * oy + t[tb + 2]) / k;
                    double sy = (t[tb + 3] * ox + t[tb + 4] * oy + t[tb + 5]) / k;
                    int dst = ((row * ow) + ox) * c;
                    if (nearest) {
                        sample(x, b, h, w, c, (int) Math.round(Math.abs(sy)) * (int) Math.signum(sy),
                                (int) Math.round(Math.abs(sx)) * (int) Math.signum(sx), 1, mode, fill, y, dst);
                    } else {
                        double fy = Math.floor(sy), fx = Math.floor(sx);
                        double wy = sy - fy, wx = sx - fx;
                        int iy = (int) fy, ix = (int) fx;
                        sample(x, b, h, w, c, iy, ix, (1 - wy) * (1 - wx), mode, fill, y, dst);
                        sample(x, b, h, w, c, iy, ix + 1, (1 - wy) * wx, mode, fill, y, dst);
                        sample(x, b, h, w, c, iy + 1, ix, wy * (1 - wx), mode, fill, y, dst);
                        sample(x, b, h, w, c, iy + 1, ix + 1, wy * wx, mode, fill, y, dst);
                    }
                }
            }
        });
        Shape out = Shape.of(n, oh, ow, c);
        if (images.dtype() == DType.FLOAT64) return new Tensor[] {Tensor.wrap(DType.FLOAT64, out, y)};
        float[] f = ctx.allocateFloats(y.length);
        for (int i = 0; i < y.length; i++) f[i] = (float) y[i];
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, out, f)};
    }

    /** Adds {@code weight} times pixel (iy, ix) of image b (its index fixed by the fill mode) to y[dst..dst+c). */
    private static void sample(double[] x, int b, int h, int w, int c, int iy, int ix, double weight, String mode,
                               double fill, double[] y, int dst) {
        if (weight == 0) return;
        int fy = fix(iy, h, mode), fx = fix(ix, w, mode);
        if (fy < 0 || fx < 0) {
            for (int ch = 0; ch < c; ch++) y[dst + ch] += weight * fill;
            return;
        }
        int src = ((b * h + fy) * w + fx) * c;
        for (int ch = 0; ch < c; ch++) y[dst + ch] += weight * x[src + ch];
    }

    /** The index an out-of-range {@code i} reads under the fill mode; -1 for the fill value (constant mode). */
    static int fix(int i, int size, String mode) {
        if (i >= 0 && i < size) return i;
        return switch (mode) {
            case "CONSTANT" -> -1;
            case "NEAREST" -> Math.max(0, Math.min(i, size - 1));
            case "WRAP" -> Math.floorMod(i, size);
            case "MIRROR" -> size == 1 ? 0 : mirror(i, size);
            default -> Math.floorDiv(mirror(2 * i + 1, 2 * size + 1) - 1, 2); // REFLECT
        };
    }

    /** The triangular wave of period 2 (size - 1): d c b | a b c d | c b a. */
    private static int mirror(int i, int size) {
        int s = size - 1;
        return Math.abs(Math.floorMod(i + s, 2 * s) - s);
    }
}
