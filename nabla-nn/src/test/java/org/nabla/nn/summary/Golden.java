package org.nabla.nn.summary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nabla.Tensors;

/**
 * The golden event file's contents, with a fixed clock: one of every summary kind. {@code main(path)} regenerates
 * src/test/resources/org/nabla/nn/summary/golden.tfevents.
 */
final class Golden {
    private Golden() {}

    static void write(Path file) throws Exception {
        double[] clock = {1_700_000_000.0};
        try (SummaryWriter w = new SummaryWriter(file, () -> clock[0] += 0.5, Duration.ofHours(1))) {
            for (int step = 0; step < 3; step++) w.scalar("loss", 1.0 / (step + 1), step);
            w.scalar("accuracy", 0.875, 2);
            w.histogram("dense/kernel", Tensors.of(new float[] {-0.5f, -0.25f, 0, 0.25f, 0.75f, 0.75f}, 6), 2);
            float[] pixels = new float[4 * 4];
            for (int i = 0; i < pixels.length; i++) pixels[i] = i / 15f;
            w.image("inputs", Tensors.of(pixels, 4, 4, 1), 0);
            w.text("model_summary", "    Model: \"mlp\"\n    dense (Dense)  (None, 10)  7850", 0);
            Map<String, Object> hp = new LinkedHashMap<>();
            hp.put("batch_size", 32);
            hp.put("model", "mlp");
            w.hparams(hp);
        }
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Files.deleteIfExists(Path.of(args[0]));
        write(Path.of(args[0]));
    }
}
