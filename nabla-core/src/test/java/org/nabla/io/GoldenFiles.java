package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Golden files: bytes written by an earlier build, kept under src/test/resources so that a change to a file format
 * (graph files, checkpoints, saved models) cannot pass unnoticed. Running the tests with
 * {@code -Dnabla.golden.write=<module>/src/test/resources} rewrites them instead of comparing; do that only for a
 * deliberate format change, together with a new format version.
 */
public final class GoldenFiles {
    private GoldenFiles() {}

    /** The bytes of resource {@code name} next to {@code owner}'s class file. */
    public static byte[] read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            assertNotNull(in, "golden file " + name + " is missing next to " + owner.getName());
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code actual} is byte for byte the golden file {@code name}, or (with {@code nabla.golden.write}
     * set) writes it there.
     */
    public static void assertSameBytes(Class<?> owner, String name, byte[] actual) {
        String root = System.getProperty("nabla.golden.write");
        if (root != null && !root.isEmpty()) {
            Path file = Path.of(root, owner.getPackageName().replace('.', '/'), name);
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertArrayEquals(read(owner, name), actual, name + " is no longer written as the golden file: the format "
                + "changed (older files may no longer load)");
    }

    /** Whether the tests run to rewrite the golden files. */
    public static boolean writing() {
        String root = System.getProperty("nabla.golden.write");
        return root != null && !root.isEmpty();
    }

    /**
     * One small tensor of every dtype, with the values that show a wrong encoding: extremes, -0.0, NaN and infinity,
     * unsigned values above the signed range. Keyed by dtype name, in {@link DType} order.
     */
    public static Map<String, Tensor> everyDType() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("float32", Tensor.wrap(DType.FLOAT32, Shape.of(2, 2),
                new float[] {1.5f, -0.0f, Float.NaN, Float.NEGATIVE_INFINITY}));
        m.put("float64", Tensor.wrap(DType.FLOAT64, Shape.of(3), new double[] {1e300, -0.0, Double.NaN}));
        m.put("int32", Tensor.wrap(DType.INT32, Shape.of(3), new int[] {Integer.MIN_VALUE, -1, 7}));
        m.put("int64", Tensor.wrap(DType.INT64, Shape.of(2), new long[] {Long.MIN_VALUE, 7}));
        m.put("uint8", Tensor.wrap(DType.UINT8, Shape.of(2), new byte[] {(byte) 255, 3}));
        m.put("bool", Tensor.wrap(DType.BOOL, Shape.of(3), new byte[] {1, 0, 1}));
        m.put("int8", Tensor.wrap(DType.INT8, Shape.of(2), new byte[] {Byte.MIN_VALUE, Byte.MAX_VALUE}));
        m.put("int16", Tensor.wrap(DType.INT16, Shape.of(2), new short[] {Short.MIN_VALUE, 5}));
        m.put("uint16", Tensor.wrap(DType.UINT16, Shape.of(1, 2), new short[] {(short) 0xffff, 1}));
        m.put("uint32", Tensor.wrap(DType.UINT32, Shape.of(2), new int[] {0xffffffff, 2}));
        m.put("uint64", Tensor.wrap(DType.UINT64, Shape.SCALAR, new long[] {-1L}));
        return m;
    }
}
