package org.nabla.nn.layers;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.ImageOps;
import org.nabla.nn.Layer;

/**
 * Crops NHWC images to {@code height} x {@code width}: in training a random window per image (when the image is at
 * least that large); at inference, or for a smaller image, the largest centred window of the target's aspect ratio,
 * resized bilinearly (half-pixel centres, edges clamped; two matrix products) to the target: tf.keras' RandomCrop. (Keras 3.15 returns the input
 * unchanged at inference, so its output shape differs between training and inference; a graph needs one shape.)
 */
public final class RandomCrop extends Layer {
    private final int height;
    private final int width;
    private final RandomDraws draws = new RandomDraws(this);

    /** Crops to {@code height} x {@code width} (each >= 1). */
    public RandomCrop(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("RandomCrop: height and width must be >= 1, got " + height + ", "
                    + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(1) < 0 || shapes[0].dim(2) < 0) {
            throw new IllegalArgumentException(describe() + " needs known height and width, got " + shapes[0]);
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return Shape.of(in[0].dim(0), height, width, in[0].dim(3)); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int h = x.shape().dim(1), w = x.shape().dim(2);
        if (ctx.training() && h >= height && w >= width) {
            // offsets floor(u * (h - height + 1)): whole pixels, so nearest sampling copies them exactly
            Tensor dy = Ops.floor(Ops.mul(draws.uniform(x, 1, new int[] {1}, ctx, 0), h - height + 1.0));
            Tensor dx = Ops.floor(Ops.mul(draws.uniform(x, 1, new int[] {1}, ctx, 1), w - width + 1.0));
            return ImageOps.imageTransform(x, AffineAugmentation.rows(dy, 1, 0, dx, 0, 1, dy, 0, 0), height, width,
                    "nearest", "nearest", 0);
        }
        if (h == height && w == width) return x;
        int cropH = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
        int cropW = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
        int top = (h - cropH) / 2, left = (w - cropW) / 2;
        Tensor crop = Ops.slice(x, new int[] {0, top, left, 0}, new int[] {-1, cropH, cropW, -1});
        if (cropH == height && cropW == width) return crop;
        // bilinear resize as two matrix products (rows, then columns): plain ops, so it exports to ONNX (MatMul)
        Tensor rows = interpolation(height, cropH, x.dtype()), cols = interpolation(width, cropW, x.dtype());
        Tensor y = Ops.matmul(Ops.matmul(rows, Ops.transpose(crop, 0, 3, 1, 2)), cols, false, true);
        return Ops.transpose(y, 0, 2, 3, 1);
    }

    /**
     * The [out, in] matrix of bilinear resampling with half-pixel centres: output o reads input (o + 0.5) * in / out
     * - 0.5 from its two neighbours, indices clamped at the edges.
     */
    static Tensor interpolation(int out, int in, DType dtype) {
        double[] a = new double[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = (o + 0.5) * scale - 0.5, lo = Math.floor(src), frac = src - lo;
            int i0 = (int) Math.max(0, Math.min(in - 1, lo)), i1 = (int) Math.max(0, Math.min(in - 1, lo + 1));
            a[o * in + i0] += 1 - frac;
            a[o * in + i1] += frac;
        }
        Tensor t = Tensor.wrap(DType.FLOAT64, Shape.of(out, in), a);
        if (dtype == DType.FLOAT32) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
            t = Tensor.wrap(DType.FLOAT32, Shape.of(out, in), f);
        }
        return Ops.constant(t);
    }
}
