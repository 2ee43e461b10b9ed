package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.data.io.Idx;

/**
 * Where the MNIST-family datasets are looked for, and loading them from the four standard IDX files
 * ({@link #IDX_FILES}, each raw or with {@code .gz}). Folders are searched in order: the one the user gave, then
 * {@code <home>/<name>/} where home is {@code $NABLA_DATASETS}, the {@code nabla.datasets} system property or
 * {@code ~/.nabla/datasets}, then the dataset's system folders (Debian's {@code /usr/share/datasets/...}).
 */
public final class ImageDatasets {
    /** The standard file names, without the optional {@code .gz}. */
    public static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    private static final int CLASSES = 10;

    private ImageDatasets() {}

    /** The per-user dataset folder: {@code $NABLA_DATASETS}, {@code -Dnabla.datasets} or {@code ~/.nabla/datasets}. */
    public static Path home() {
        String env = System.getenv("NABLA_DATASETS");
        if (env != null && !env.isBlank()) return Path.of(env);
        String prop = System.getProperty("nabla.datasets");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        return Path.of(System.getProperty("user.home"), ".nabla", "datasets");
    }

    /** The folders searched for dataset {@code name}, in order (the user's folder first when not null). */
    public static List<Path> searchDirs(String name, Path userDir, List<Path> systemDirs) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (userDir != null) dirs.add(userDir.toAbsolutePath().normalize());
        dirs.add(home().resolve(name).toAbsolutePath().normalize());
        dirs.addAll(systemDirs);
        return List.copyOf(dirs);
    }

    /** {@code dir/base}, or {@code dir/base.gz}, or null when neither exists. */
    static Path idxFile(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** The first folder holding all four IDX files, or null. */
    static Path findIdxDir(List<Path> dirs) {
        for (Path d : dirs) {
            if (IDX_FILES.stream().allMatch(f -> idxFile(d, f) != null)) return d;
        }
        return null;
    }

    /** Notes about folders that hold some of the IDX files but not all, for error messages. */
    static String partialNotes(List<Path> dirs) {
        StringBuilder sb = new StringBuilder();
        for (Path d : dirs) {
            List<String> missing = new ArrayList<>();
            for (String f : IDX_FILES) if (idxFile(d, f) == null) missing.add(f);
            if (!missing.isEmpty() && missing.size() < IDX_FILES.size()) {
                sb.append("\n  note: ").append(d).append(" has some of the files but lacks ").append(missing);
            }
        }
        return sb.toString();
    }

    static String lookedIn(List<Path> dirs) {
        StringBuilder sb = new StringBuilder();
        for (Path d : dirs) sb.append("\n  ").append(d).append(Files.isDirectory(d) ? "" : " (no such folder)");
        return sb.toString();
    }

    /** Loads and validates the four IDX files in {@code dir}. */
    static LabeledImages loadIdx(String name, Path dir) throws IOException {
        Path[] f = new Path[4];
        for (int i = 0; i < 4; i++) {
            f[i] = idxFile(dir, IDX_FILES.get(i));
            if (f[i] == null) throw new DatasetNotFoundException(name + ": " + dir + " lacks " + IDX_FILES.get(i)
                    + "(.gz)");
        }
        Tensor trainX = images(f[0]), trainY = labels(f[1], trainX), testX = images(f[2]), testY = labels(f[3], testX);
        if (trainX.shape().dim(1) != testX.shape().dim(1) || trainX.shape().dim(2) != testX.shape().dim(2)) {
            throw new IOException(name + ": the train images are " + trainX.shape() + " but the test images are "
                    + testX.shape() + " (" + f[0] + ", " + f[2] + ")");
        }
        return new LabeledImages(name, dir + " (IDX files)", trainX, trainY, testX, testY);
    }

    private static Tensor images(Path file) throws IOException {
        Tensor t = Idx.read(file);
        if (t.dtype() != DType.UINT8 || t.rank() != 3) throw new IOException(file + ": expected uint8 images [N, H, W]"
                + " (IDX type 0x08 with 3 dimensions), got " + t.spec());
        return t;
    }

    private static Tensor labels(Path file, Tensor images) throws IOException {
        Tensor t = Idx.read(file);
        if (t.dtype() != DType.UINT8 || t.rank() != 1) throw new IOException(file + ": expected uint8 labels [N] (IDX "
                + "type 0x08 with 1 dimension), got " + t.spec());
        int n = images.shape().dim(0);
        if (t.shape().dim(0) != n) throw new IOException(file + ": " + t.shape().dim(0) + " labels for " + n
                + " images");
        byte[] b = t.toByteArray();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
            if (out[i] >= CLASSES) throw new IOException(file + ": label " + i + " is " + out[i] + ", expected 0 to "
                    + (CLASSES - 1));
        }
        return Tensor.wrap(DType.INT32, Shape.of(b.length), out);
    }
}
