package org.nabla.nn.summary;

import org.nabla.DType;
import org.nabla.Tensor;

/** Tensor contents as summaries need them: doubles for histograms, 8-bit pixels for images. */
final class Images {
    private Images() {}

    /** {@code count} images of {@code height x width x channels} bytes each, back to back. */
    record Batch(byte[] all, int count, int height, int width, int channels) {
        byte[] pixels(int i) {
            int n = height * width * channels;
            byte[] p = new byte[n];
            System.arraycopy(all, i * n, p, 0, n);
            return p;
        }
    }

    static Batch of(Tensor t, String what) {
        int[] d = t.shape().dims();
        if (d.length != 3 && d.length != 4) {
            throw new IllegalArgumentException(what + ": images must be [height, width, channels] or [n, height, "
                    + "width, channels], got shape " + t.shape());
        }
        int count = d.length == 4 ? d[0] : 1, h = d[d.length - 3], w = d[d.length - 2], c = d[d.length - 1];
        if (c != 1 && c != 3 && c != 4) {
            throw new IllegalArgumentException(what + ": images need 1, 3 or 4 channels, got shape " + t.shape());
        }
        byte[] pixels;
        if (t.dtype() == DType.UINT8) {
            pixels = t.toByteArray();
        } else if (t.dtype().isFloating()) {
            double[] v = doubles(t, what);
            pixels = new byte[v.length];
            // [0, 1] -> 0..255; NaN becomes 0 (black) rather than failing a training run over a picture
            for (int i = 0; i < v.length; i++) {
                pixels[i] = (byte) Math.round(255 * Math.clamp(v[i] > 0 ? v[i] : 0, 0, 1));
            }
        } else {
            throw new IllegalArgumentException(what + ": images must be floating (values in [0, 1]) or uint8, got "
                    + t.dtype());
        }
        return new Batch(pixels, count, h, w, c);
    }

    static double[] doubles(Tensor t, String what) {
        return switch (t.dtype()) {
            case FLOAT64 -> t.toDoubleArray();
            case FLOAT32 -> {
                float[] f = t.toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                yield d;
            }
            case INT32 -> java.util.Arrays.stream(t.toIntArray()).asDoubleStream().toArray();
            case INT64 -> java.util.Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
            default -> throw new IllegalArgumentException(what + ": needs a float32, float64, int32 or int64 tensor, "
                    + "got " + t.dtype());
        };
    }
}
