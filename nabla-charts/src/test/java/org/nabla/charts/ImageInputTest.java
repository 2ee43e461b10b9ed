package org.nabla.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class ImageInputTest {
    @TempDir Path dir;

    private static float[] ramp() {
        float[] v = new float[28 * 28];
        for (int i = 0; i < v.length; i++) v[i] = (i % 256) / 255f;
        return v;
    }

    @Test
    void grayPngRoundTripsExactlyForEightBitValues() throws IOException {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        ImageInput.writePng(Tensors.of(ramp(), 28, 28), a);
        float[] zeros = new float[28 * 28];
        zeros[0] = 1f;
        ImageInput.writePng(Tensors.of(zeros, 1, 28, 28), b);
        Tensor t = ImageInput.readPngs(List.of(a, b), false);
        assertEquals(DType.FLOAT32, t.dtype());
        assertEquals(Shape.of(2, 28, 28), t.shape());
        float[] v = t.toFloatArray();
        float[] expected = ramp();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], v[i], 1e-7, "pixel " + i);
        assertEquals(1f, v[784]);
        assertEquals(0f, v[785]);
        BufferedImage img = ImageIO.read(a.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        // inverting: dark ink on white paper becomes MNIST's white on black
        float[] inv = ImageInput.readPngs(List.of(a), true).toFloatArray();
        for (int i = 0; i < inv.length; i++) assertEquals(1 - expected[i], inv[i], 1e-6);
    }

    @Test
    void colorAlphaAndSixteenBitPngsBecomeLuminance() throws IOException {
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        rgb.setRGB(1, 0, 0x00ff00);
        rgb.setRGB(2, 0, 0x0000ff);
        rgb.setRGB(3, 0, 0xffffff);
        rgb.setRGB(4, 0, 0x102030);
        Path p = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", p.toFile());
        float[] v = ImageInput.readPngs(List.of(p), false).toFloatArray();
        assertEquals(0.299, v[0], 1e-6);
        assertEquals(0.587, v[1], 1e-6);
        assertEquals(0.114, v[2], 1e-6);
        assertEquals(1.0, v[3], 1e-6);
        assertEquals((0.299 * 16 + 0.587 * 32 + 0.114 * 48) / 255, v[4], 1e-6);
        assertEquals(0f, v[5]);

        BufferedImage argb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80ffffff); // half-transparent white over black
        argb.setRGB(1, 0, 0x00ffffff); // fully transparent
        Path q = dir.resolve("argb.png");
        ImageIO.write(argb, "png", q.toFile());
        float[] w = ImageInput.readPngs(List.of(q), false).toFloatArray();
        assertEquals(128 / 255.0, w[0], 1e-6);
        assertEquals(0f, w[1]);

        java.awt.image.ComponentColorModel grayAlpha = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        BufferedImage ga = new BufferedImage(grayAlpha, grayAlpha.createCompatibleWritableRaster(28, 28), false, null);
        ga.getRaster().setPixel(0, 0, new int[] {200, 255});
        ga.getRaster().setPixel(1, 0, new int[] {200, 0});
        ga.getRaster().setPixel(2, 0, new int[] {100, 51});
        Path gap = dir.resolve("gray-alpha.png");
        assertTrue(ImageIO.write(ga, "png", gap.toFile()));
        float[] gav = ImageInput.readPngs(List.of(gap), false).toFloatArray();
        assertEquals(200 / 255.0, gav[0], 1e-6);
        assertEquals(0f, gav[1]);
        assertEquals(100 / 255.0 * 0.2, gav[2], 1e-6);

        BufferedImage g16 = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 32768);
        Path s = dir.resolve("g16.png");
        ImageIO.write(g16, "png", s.toFile());
        float[] u = ImageInput.readPngs(List.of(s), false).toFloatArray();
        assertEquals(1f, u[0]);
        assertEquals(32768 / 65535.0, u[1], 1e-6);
    }

    @Test
    void badImagesGetClearMessagesNamingTheFile() throws IOException {
        BufferedImage big = new BufferedImage(32, 30, BufferedImage.TYPE_BYTE_GRAY);
        Path p = dir.resolve("big.png");
        ImageIO.write(big, "png", p.toFile());
        assertEquals(p + ": image is 32x30 pixels; expected 28x28 (width x height), grayscale",
                assertThrows(IOException.class, () -> ImageInput.readPngs(List.of(p), false)).getMessage());

        Path txt = dir.resolve("digit.png");
        Files.writeString(txt, "not an image");
        assertEquals(txt + ": not a PNG image (the file does not start with the PNG signature)",
                assertThrows(IOException.class, () -> ImageInput.readPngs(List.of(txt), false)).getMessage());

        Path good = dir.resolve("good.png");
        ImageInput.writePng(Tensors.of(ramp(), 28, 28), good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        for (int len : new int[] {8, 20, 40, bytes.length / 2}) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, len));
            String msg = assertThrows(IOException.class, () -> ImageInput.readPngs(List.of(cut), false))
                    .getMessage();
            assertTrue(msg.startsWith(cut + ": unreadable PNG (truncated or corrupted)"), msg);
        }
        Path missing = dir.resolve("missing.png");
        assertTrue(assertThrows(IOException.class, () -> ImageInput.readPngs(List.of(missing), false))
                .getMessage().contains("missing.png"));
        assertThrows(IllegalArgumentException.class, () -> ImageInput.writePng(Tensors.of(new float[8], 2, 2, 2),
                dir.resolve("x.png")));
    }

    @Test
    void writingIntegerImagesUsesZeroTo255() throws IOException {
        Path p = dir.resolve("u8.png");
        ImageInput.writePng(Tensor.wrap(DType.UINT8, Shape.of(1, 2), new byte[] {0, (byte) 255}), p);
        BufferedImage img = ImageIO.read(p.toFile());
        assertArrayEquals(new int[] {0, 255}, img.getRaster().getSamples(0, 0, 2, 1, 0, (int[]) null));
    }
}
