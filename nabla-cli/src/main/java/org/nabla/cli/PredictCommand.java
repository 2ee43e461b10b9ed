package org.nabla.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.charts.ImageInput;
import org.nabla.data.datasets.FashionMnist;
import org.nabla.data.io.Idx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nabla predict}: the predicted class and the class probabilities of 28x28 images (PNG or IDX files), or of
 * texts with a text model's run folder ({@code --text}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Classify 28x28 grayscale images: PNG files, or IDX files of images "
        + "[N, 28, 28] (or one [28, 28]); or texts (--text) with a run folder of nabla train --dataset spam or names.")
public final class PredictCommand implements Callable<Integer> {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @Mixin
    TrainedModelOptions trained;

    @Option(names = "--invert", description = "The images are dark ink on a light background (MNIST is light on "
            + "dark): invert them first.")
    boolean invert;

    @Option(names = "--labels", paramLabel = "NAME", defaultValue = "digits",
            description = "Class names to print: digits or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String labels;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "PNG files (28x28) or IDX image files.")
    List<Path> files;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "A text to classify with a text model's run folder (repeat for several).")
    List<String> texts;

    @Override
    public Integer call() throws IOException {
        boolean hasFiles = files != null && !files.isEmpty(), hasTexts = texts != null && !texts.isEmpty();
        if (hasFiles == hasTexts) {
            throw new IllegalArgumentException("give image files or --text TEXT (with a text model's run folder), "
                    + "not " + (hasFiles ? "both" : "neither"));
        }
        if (hasTexts) return TextPrediction.print(Path.of(trained.model), texts);
        CliSupport.requireOneOf("label set", labels, List.of("digits", "fashion-mnist"));
        // Read every input first: a bad file fails before anything is printed.
        List<String> names = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        for (Path f : files) readImages(f, names, images);
        try (Classifier c = trained.open()) {
            // batch by batch: one tensor of every image would overflow an int index past ~2.7M images
            for (int from = 0; from < images.size(); from += BATCH) {
                int n = Math.min(BATCH, images.size() - from);
                float[] logits = c.logits(batch(images, from, n));
                for (int i = 0; i < n; i++) {
                    requireFinite(names.get(from + i), images.get(from + i), logits, i);
                    printRow(names.get(from + i), Classifier.softmaxRow(logits, i));
                }
            }
        }
        return 0;
    }

    /** Fails (naming the image and the likely cause) when the model's logits for image {@code i} are not finite. */
    static void requireFinite(String name, float[] image, float[] logits, int i) {
        boolean finite = true;
        for (int k = 0; k < CliSupport.CLASSES; k++) finite &= Float.isFinite(logits[i * CliSupport.CLASSES + k]);
        if (finite) return;
        int bad = 0;
        for (float v : image) if (!Float.isFinite(v)) bad++;
        throw new IllegalStateException(name + ": the model's outputs are NaN or infinite, so there is no prediction ("
                + (bad > 0 ? "the image holds " + bad + " NaN or infinite pixels" : "the image is finite: the model's "
                + "weights hold NaN or infinite values; was it trained to divergence?") + ")");
    }

    /** Images per forward pass. */
    static final int BATCH = 1024;

    static Tensor batch(List<float[]> images, int from, int n) {
        int per = CliSupport.SIDE * CliSupport.SIDE;
        float[] all = new float[n * per];
        for (int i = 0; i < n; i++) System.arraycopy(images.get(from + i), 0, all, i * per, per);
        return Tensor.wrap(DType.FLOAT32, Shape.of(n, CliSupport.SIDE, CliSupport.SIDE), all);
    }

    private void printRow(String name, float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %s (%.1f%%)  probabilities:",
                name, className(best), 100 * p[best]));
        for (int k = 0; k < p.length; k++) b.append(String.format(Locale.ROOT, " %d=%.3f", k, p[k]));
        System.out.println(b);
    }

    private String className(int k) {
        return labels.equals("fashion-mnist") ? k + " " + FashionMnist.CLASS_NAMES.get(k) : Integer.toString(k);
    }

    private void readImages(Path f, List<String> names, List<float[]> images) throws IOException {
        if (!Files.isRegularFile(f)) throw new NoSuchFileException(f.toString(), null, "image file not found");
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(f)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 4 && java.util.Arrays.equals(head, PNG)) {
            images.add(ImageInput.readGray(f, CliSupport.SIDE, CliSupport.SIDE, invert));
            names.add(f.toString());
            return;
        }
        Tensor t = Idx.read(f);
        int[] d = t.shape().dims();
        boolean one = d.length == 2;
        if (!(d.length == 3 || one) || d[d.length - 1] != CliSupport.SIDE || d[d.length - 2] != CliSupport.SIDE) {
            throw new IOException(f + ": IDX file of shape " + t.shape() + "; expected images [N, 28, 28] or one "
                    + "image [28, 28]");
        }
        int count = one ? 1 : d[0];
        int per = CliSupport.SIDE * CliSupport.SIDE;
        float[] px = new float[count * per];
        switch (t.dtype()) {
            case UINT8 -> {
                byte[] b = t.toByteArray();
                for (int i = 0; i < px.length; i++) px[i] = (b[i] & 0xff) / 255f;
            }
            case FLOAT32, FLOAT64 -> {
                float[] v = (t.dtype() == DType.FLOAT32 ? t : t.cast(DType.FLOAT32)).toFloatArray();
                for (int i = 0; i < px.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw new IOException(f + ": image " + i / per + " holds a " + v[i] + " pixel (at "
                                + i % per + "); expected finite values in [0, 1]");
                    }
                }
                System.arraycopy(v, 0, px, 0, px.length);
            }
            default -> throw new IOException(f + ": IDX images of type " + t.dtype() + "; expected ubyte (0-255) or "
                    + "float (0-1)");
        }
        if (invert) for (int i = 0; i < px.length; i++) px[i] = 1f - px[i];
        for (int i = 0; i < count; i++) {
            float[] img = new float[per];
            System.arraycopy(px, i * per, img, 0, per);
            images.add(img);
            names.add(one ? f.toString() : f + "[" + i + "]");
        }
    }
}
