package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60,000 train and 10,000 test 28x28 grayscale images of 10 clothing classes, from the four
 * standard IDX files. Looked for in the folder given, then {@code ~/.nabla/datasets/fashion-mnist/}, then
 * {@link #DEBIAN_DIR} (the Debian package {@code dataset-fashion-mnist}).
 */
public final class FashionMnist {
    /** The dataset's name, its folder under the dataset root. */
    public static final String NAME = "fashion-mnist";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Loads from the default folders. */
    public static LabeledImages load() throws IOException { return load((Path) null); }

    /** Loads from {@code dir} (may be null), falling back to the default folders. */
    public static LabeledImages load(Path dir) throws IOException { return loadFrom(searchDirs(dir)); }

    /** Loads from the first of {@code dirs} that holds the four files. */
    static LabeledImages loadFrom(List<Path> dirs) throws IOException {
        Path found = ImageDatasets.findIdxDir(dirs);
        if (found == null) {
            throw new DatasetNotFoundException("Fashion-MNIST not found. Looked in:" + ImageDatasets.lookedIn(dirs)
                    + ImageDatasets.partialNotes(dirs) + "\nfor the files " + String.join(", ", ImageDatasets.IDX_FILES)
                    + " (each may end in .gz).\n" + DatasetSetup.fashionMnistHelp());
        }
        return ImageDatasets.loadIdx(NAME, found);
    }

    /** The folders searched, in order. */
    public static List<Path> searchDirs(Path dir) { return ImageDatasets.searchDirs(NAME, dir, List.of(DEBIAN_DIR)); }
}
