package org.nabla.charts;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.AtomicFiles;

/**
 * Grayscale images in and out, the way MNIST-style models see them. {@link #readPngs} reads 28x28 PNG files into a
 * float32 tensor {@code [N, 28, 28]} with values in [0, 1]. MNIST's convention is a white (bright, near 1) digit on a
 * black (0) background; pass {@code invert = true} for dark ink on a light background, such as a scanned or drawn
 * digit. Any PNG color type is accepted: color becomes luminance (0.299 R + 0.587 G + 0.114 B), 16-bit samples are
 * scaled to [0, 1], and transparent pixels are composited over black (MNIST's background) before inverting.
 */
public final class ImageInput {
    /** MNIST's image side. */
    public static final int SIDE = 28;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ImageInput() {}

    /** Reads 28x28 PNG files into a float32 tensor [N, 28, 28] in [0, 1]. */
    public static Tensor readPngs(List<Path> files, boolean invert) throws IOException {
        return readPngs(files, SIDE, SIDE, invert);
    }

    /** Reads PNG files of {@code height} x {@code width} pixels into a float32 tensor [N, height, width]. */
    public static Tensor readPngs(List<Path> files, int height, int width, boolean invert) throws IOException {
        if (files == null || files.isEmpty()) throw new IllegalArgumentException("ImageInput: no image files given");
        float[] out = new float[Math.multiplyExact(files.size(), height * width)];
        for (int i = 0; i < files.size(); i++) {
            float[] one = readGray(files.get(i), height, width, invert);
            System.arraycopy(one, 0, out, i * height * width, one.length);
        }
        return Tensor.wrap(DType.FLOAT32, Shape.of(files.size(), height, width), out);
    }

    /** Reads one PNG of {@code height} x {@code width} pixels as row-major grayscale values in [0, 1]. */
    public static float[] readGray(Path file, int height, int width, boolean invert) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        if (bytes.length < PNG_SIGNATURE.length
                || !java.util.Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            throw new IOException(file + ": not a PNG image (the file does not start with the PNG signature)");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable PNG (truncated or corrupted): " + e.getMessage(), e);
        }
        if (img == null) throw new IOException(file + ": unreadable PNG (truncated or corrupted)");
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new IOException(file + ": image is " + img.getWidth() + "x" + img.getHeight() + " pixels; expected "
                    + width + "x" + height + " (width x height), grayscale");
        }
        return gray(img, invert);
    }

    /** Luminance in [0, 1] per pixel, row-major, transparent pixels over black. */
    static float[] gray(BufferedImage img, boolean invert) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h];
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // Gray PNGs (with or without alpha) store the sample itself; getRGB would apply Java's
            // linear-gray-to-sRGB conversion and brighten it.
            double max = (1L << cm.getComponentSize(0)) - 1;
            boolean alpha = cm.hasAlpha() && r.getNumBands() > 1;
            double maxAlpha = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double g = r.getSample(x, y, 0) / max;
                    out[y * w + x] = (float) (alpha ? g * (r.getSample(x, y, 1) / maxAlpha) : g);
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    double a = (argb >>> 24) / 255.0;
                    double lum = (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff)
                            + 0.114 * (argb & 0xff)) / 255.0;
                    out[y * w + x] = (float) (lum * a);
                }
            }
        }
        if (invert) for (int i = 0; i < out.length; i++) out[i] = 1f - out[i];
        return out;
    }

    /**
     * Writes a grayscale image as an 8-bit gray PNG, atomically: {@code image} is [H, W] (or [1, H, W]); float values
     * are taken as [0, 1] (clamped), integer values as 0..255.
     */
    public static void writePng(Tensor image, Path file) throws IOException {
        Shape s = image.shape();
        if (s.rank() == 3 && s.dim(0) == 1) s = Shape.of(s.dim(1), s.dim(2));
        if (s.rank() != 2 || s.dim(0) == 0 || s.dim(1) == 0) {
            throw new IllegalArgumentException("ImageInput.writePng: expected an image of shape [H, W] or [1, H, W], "
                    + "got " + image.shape());
        }
        int h = s.dim(0);
        int w = s.dim(1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        double[] v = image.toDoubleArray();
        boolean floating = image.dtype().isFloating();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double p = floating ? v[y * w + x] * 255.0 : v[y * w + x];
                int g = (int) Math.round(Double.isNaN(p) ? 0 : Math.max(0, Math.min(255, p)));
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        writePng(img, file);
    }

    /** Writes an image as PNG, atomically. */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
        });
    }
}
