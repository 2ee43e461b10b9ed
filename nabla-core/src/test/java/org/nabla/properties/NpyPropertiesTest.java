package org.nabla.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.io.Npy;

/**
 * {@code .npy} files: every dtype and shape round trips bit for bit, and a seeded fuzz of damaged files (truncated,
 * bytes flipped, headers rewritten with huge, negative or malformed shapes) that must each read as a tensor or fail
 * with an {@link IOException} or {@link IllegalArgumentException} naming the file: never another exception, an
 * {@link OutOfMemoryError} from a huge declared shape, or a hang.
 */
class NpyPropertiesTest {
    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException { dir = Files.createTempDirectory("nabla-npy-properties"); }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void everyDtypeAndShapeRoundTripsBitForBit() {
        RandomTensors.forAll(".npy round trip", 53, 300, rnd -> roundTrip(RandomTensors.shape(rnd, 4, 0, 5),
                anyDtype(rnd), rnd.nextLong()));
    }

    @Test
    void aDamagedFileReadsOrFailsWithAClearErrorNamingIt() {
        RandomTensors.forAll(".npy fuzz", 59, 500, rnd -> damaged(RandomTensors.shape(rnd, 4, 0, 5), anyDtype(rnd),
                rnd.nextLong()));
    }

    /**
     * A dtype .npy holds: not string, and not the one-byte low-precision types, which ml_dtypes writes all as '|V1'
     * (Npy refuses to write them, with a message; NpyTest checks that).
     */
    private static DType anyDtype(Random rnd) {
        DType[] all = java.util.Arrays.stream(DType.values()).filter(d -> d != DType.STRING && !d.isLowPrecision())
                .toArray(DType[]::new);
        return all[rnd.nextInt(all.length)];
    }

    private static void roundTrip(int[] shape, DType dtype, long seed) throws IOException {
        Tensor t = RandomTensors.random(dtype, shape, seed);
        Tensor fromBytes = Npy.fromBytes(Npy.toBytes(t));
        assertSame(t, fromBytes);
        Path file = dir.resolve("roundtrip-" + seed + ".npy");
        Npy.write(t, file);
        assertSame(t, Npy.read(file));
        Files.delete(file);
    }

    private static void damaged(int[] shape, DType dtype, long seed) throws IOException {
        Random rnd = new Random(seed);
        byte[] valid = Npy.toBytes(RandomTensors.random(dtype, shape, rnd.nextLong()));
        byte[] damaged = damage(valid, rnd);
        Path file = dir.resolve("damaged-" + seed + ".npy");
        Files.write(file, damaged);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOrExplain(file));
        } finally {
            Files.delete(file);
        }
    }

    private static void readOrExplain(Path file) {
        try {
            Npy.read(file);
        } catch (IOException | IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            assertTrue(m.contains(file.toString()), "the error does not name the file: " + e);
        } catch (Throwable e) {
            fail("reading a damaged .npy threw " + e + " instead of an IOException naming the file", e);
        }
    }

    /** One of: truncation, flipped bytes (mostly in the header), a rewritten shape, or bytes inserted in the header. */
    private static byte[] damage(byte[] valid, Random rnd) {
        int header = headerLength(valid);
        switch (rnd.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(valid, rnd.nextInt(valid.length));
            }
            case 1 -> {
                byte[] b = valid.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int at = rnd.nextBoolean() ? rnd.nextInt(header) : rnd.nextInt(b.length);
                    b[at] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case 2 -> {
                String[] shapes = {"(4294967296, 4294967296)", "(2147483647, 2147483647, 2147483647)", "(-1, 3)",
                        "(99999999999999999999999,)", "(1, 2", "((1, 2), 3)", "(" + "7, ".repeat(40) + ")",
                        "(1e3,)", "()", "(0, 2147483647)", "(46341, 46341)"};
                return withShape(valid, shapes[rnd.nextInt(shapes.length)]);
            }
            default -> {
                int at = rnd.nextInt(header);
                byte[] extra = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(extra);
                byte[] b = new byte[valid.length + extra.length];
                System.arraycopy(valid, 0, b, 0, at);
                System.arraycopy(extra, 0, b, at, extra.length);
                System.arraycopy(valid, at, b, at + extra.length, valid.length - at);
                return b;
            }
        }
    }

    /** The header with its shape tuple replaced (its length field kept, so padding absorbs the difference). */
    private static byte[] withShape(byte[] valid, String shape) {
        int header = headerLength(valid);
        String text = new String(valid, 0, header, StandardCharsets.ISO_8859_1);
        int from = text.indexOf("'shape': ") + "'shape': ".length();
        int to = text.indexOf(", }", from);
        String changed = text.substring(0, from) + shape + text.substring(to);
        byte[] head = changed.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[head.length + valid.length - header];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(valid, header, b, head.length, valid.length - header);
        return b;
    }

    /** Preamble plus header of a file Nabla wrote (format 1.0: a 2-byte length after 8 bytes). */
    private static int headerLength(byte[] npy) {
        return 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(expected.shape(), actual.shape());
        assertArrayEquals(RandomTensors.bits(expected), RandomTensors.bits(actual));
    }
}
