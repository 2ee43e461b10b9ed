package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist; skipped with a message when it is not installed. */
class FashionMnistTest {
    private static LabeledImages data;

    @BeforeAll
    static void load() throws IOException {
        boolean present = ImageDatasets.findIdxDir(List.of(FashionMnist.DEBIAN_DIR)) != null;
        assumeTrue(present, "skipped: Fashion-MNIST is not installed in " + FashionMnist.DEBIAN_DIR
                + " (apt-get install dataset-fashion-mnist, or run scripts/setup-datasets.sh)");
        data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    }

    private static long sum(Tensor uint8) {
        long s = 0;
        for (byte b : uint8.toByteArray()) s += b & 0xff;
        return s;
    }

    @Test
    void sizesTypesAndKnownValues() {
        assertEquals(Shape.of(60000, 28, 28), data.trainImages().shape());
        assertEquals(Shape.of(10000, 28, 28), data.testImages().shape());
        assertEquals(DType.UINT8, data.trainImages().dtype());
        assertEquals(DType.INT32, data.trainLabels().dtype());
        // reference values computed with Python's gzip module from the same files
        assertEquals(3431114169L, sum(data.trainImages()));
        assertEquals(573469082L, sum(data.testImages()));
        int[] trainY = data.trainLabels().toIntArray(), testY = data.testLabels().toIntArray();
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, java.util.Arrays.copyOf(trainY, 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(testY, 10));
        int[] trainHist = new int[10], testHist = new int[10];
        for (int y : trainY) trainHist[y]++;
        for (int y : testY) testHist[y]++;
        int[] six = new int[10], one = new int[10];
        java.util.Arrays.fill(six, 6000);
        java.util.Arrays.fill(one, 1000);
        assertArrayEquals(six, trainHist);
        assertArrayEquals(one, testHist);
    }

    @Test
    void trainDatasetGivesScaledImagesWithAChannel() {
        Tensor[] batch = data.train().batch(2).take(1).toList().get(0);
        assertEquals(Shape.of(2, 28, 28, 1), batch[0].shape());
        assertEquals(DType.FLOAT32, batch[0].dtype());
        float[] px = batch[0].toFloatArray();
        byte[] raw = data.trainImages().toByteArray();
        double s = 0;
        for (int i = 0; i < 784; i++) {
            assertEquals((raw[i] & 0xff) / 255f, px[i], 0f);
            s += (raw[i] & 0xff);
        }
        assertEquals(76247, s, 0);
        assertArrayEquals(new int[] {9, 0}, batch[1].toIntArray());
        assertEquals(10000, data.test().cardinality());
    }
}
