package org.nabla.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainingCharts: the curves PNG of a training history. */
class TrainingChartsTest {
    @TempDir Path dir;

    static Map<String, double[]> history() {
        Map<String, double[]> h = new LinkedHashMap<>();
        h.put("loss", new double[] {0.62, 0.31, 0.22, 0.17, 0.14});
        h.put("accuracy", new double[] {0.83, 0.91, 0.935, 0.95, 0.958});
        h.put("val_loss", new double[] {0.35, 0.25, 0.2, 0.19, 0.185});
        h.put("val_accuracy", new double[] {0.9, 0.927, 0.94, 0.946, Double.NaN});
        return h;
    }

    @Test
    void chartPngHasALossPanelAndAnAccuracyPanel() throws IOException {
        Path png = dir.resolve("out/curves.png");
        TrainingCharts.writePng(png, history());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(440, img.getHeight());
        // not blank: some pixels of the curves' colors in each panel
        assertTrue(countColor(img, 0, 640, 0x1f77b4) > 50);
        assertTrue(countColor(img, 640, 1280, 0x1f77b4) > 50);

        Map<String, double[]> lossOnly = Map.of("loss", new double[] {1.0});
        TrainingCharts.writePng(png, lossOnly); // one epoch, one panel
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
        TrainingCharts.writePng(png, Map.of("loss", new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> TrainingCharts.writePng(png, Map.of()));
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList());
        }
    }

    private static int countColor(BufferedImage img, int x0, int x1, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
        }
        return n;
    }
}
