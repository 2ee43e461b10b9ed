package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class RandomOpsTest {
    // ---------------------------------------------------------------- fill, zeros, ones

    @Test
    void fillTakesTheDTypeOfItsValue() {
        assertExact(new long[] {7, 7, 7, 7, 7, 7}, Ops.fill(7, 2, 3), DType.INT32, 2, 3);
        assertClose(new double[] {0.5, 0.5}, Ops.fill(0.5f, 2), DType.FLOAT32, new int[] {2}, 0);
        assertClose(new double[] {0.25}, Ops.fill(0.25, 1), DType.FLOAT64, new int[] {1}, 0);
        assertExact(new long[] {1L << 40}, Ops.fill(1L << 40), DType.INT64);
        assertExact(new long[] {1, 1}, Ops.fill(true, 2), DType.BOOL, 2);
        assertExact(new long[] {200}, Ops.fill(Tensors.convert(200, DType.UINT8), 1), DType.UINT8, 1);
        assertEquals(Shape.of(0, 4), Ops.fill(1f, 0, 4).shape());
    }

    @Test
    void zerosAndOnesForEveryDType() {
        for (DType d : DType.values()) {
            if (d == DType.STRING) continue; // no zeros or ones of strings (StringTensorTest pads with "")
            if (d.isComplex()) continue; // ComplexTensorTest
            Tensor z = Ops.zeros(d, 2, 2);
            Tensor o = Ops.ones(d, 3);
            assertEquals(d, z.dtype());
            assertEquals(d, o.dtype());
            assertArrayEquals(new double[4], z.toDoubleArray());
            assertArrayEquals(new double[] {1, 1, 1}, o.toDoubleArray());
        }
        Tensor x = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
        assertExact(new long[] {0, 0, 0, 0, 0, 0}, Ops.zerosLike(x), DType.INT32, 3, 2);
        assertExact(new long[] {1, 1, 1, 1, 1, 1}, Ops.onesLike(x), DType.INT32, 3, 2);
        assertEquals(Shape.SCALAR, Ops.ones(DType.FLOAT32).shape());
        assertEquals("zeros: dtype is null", assertThrows(IllegalArgumentException.class,
                () -> Ops.zeros(null, 2)).getMessage());
    }

    @Test
    void fillRejectsNonScalarsAndNegativeDims() {
        OpException e = assertThrows(OpException.class, () -> Ops.fill(new float[] {1, 2}, 3));
        assertEquals("Fill: input 'value' must be a scalar (shape ()), got float32(2,)", e.getMessage());
        OpException d = assertThrows(OpException.class, () -> Ops.zeros(DType.FLOAT32, 2, -1));
        assertEquals("Fill: shape [2, -1] has a negative dimension -1 (dimensions must be >= 0)", d.getMessage());
        OpException big = assertThrows(OpException.class, () -> Ops.zeros(DType.FLOAT32, 1 << 20, 1 << 20));
        assertTrue(big.getMessage().contains("too many for one CPU tensor"), big.getMessage());
    }

    // ---------------------------------------------------------------- range

    @Test
    void rangeFollowsTensorFlow() {
        assertExact(new long[] {0, 1, 2, 3, 4}, Ops.range(5), DType.INT32, 5);
        assertExact(new long[] {3, 6, 9, 12, 15}, Ops.range(3, 18, 3), DType.INT32, 5);
        assertExact(new long[] {3, 6, 9, 12, 15}, Ops.range(3, 16, 3), DType.INT32, 5);
        assertExact(new long[] {18, 15, 12, 9, 6}, Ops.range(18, 3, -3), DType.INT32, 5);
        assertExact(new long[] {}, Ops.range(4, 4, 1), DType.INT32, 0);
        assertClose(new double[] {3, 2.5, 2, 1.5}, Ops.range(3f, 1f, -0.5f), DType.FLOAT32, new int[] {4}, 0);
        assertClose(new double[] {0, 0.1, 0.2, 0.30000000000000004}, Ops.range(0.0, 0.4, 0.1), DType.FLOAT64,
                new int[] {4}, 1e-15);
        assertExact(new long[] {1L << 40, (1L << 40) + 2}, Ops.range(1L << 40, (1L << 40) + 3, 2, DType.INT64),
                DType.INT64, 2);
        assertExact(new long[] {250, 252, 254}, Ops.range(250, 256, 2, DType.UINT8), DType.UINT8, 3);
        // size = ceil((limit - start) / delta) computed in float64, like tf.range
        assertEquals(Shape.of(10), Ops.range(0.0, 1.0, 0.1).shape());
        Tensor many = Ops.range(0f, 100000f, 1f);
        assertEquals(99999f, many.toFloatArray()[99999]);
    }

    @Test
    void rangeErrorsNameTheProblem() {
        assertEquals("Range: delta must not be 0 (start=0.0, limit=5.0)",
                assertThrows(OpException.class, () -> Ops.range(0, 5, 0)).getMessage());
        assertEquals("Range: start must be <= limit when delta > 0, got start=5.0, limit=1.0, delta=1.0",
                assertThrows(OpException.class, () -> Ops.range(5, 1, 1)).getMessage());
        assertEquals("Range: start must be >= limit when delta < 0, got start=1.0, limit=5.0, delta=-1.0",
                assertThrows(OpException.class, () -> Ops.range(1, 5, -1)).getMessage());
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, 2.5, 1, DType.INT32)).getMessage()
                .contains("must be integers for dtype int32"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, 300, 1, DType.UINT8)).getMessage()
                .contains("do not fit dtype uint8"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, 1, 1, DType.BOOL)).getMessage()
                .contains("dtype must be numeric"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, Double.NaN, 1)).getMessage()
                .contains("must be finite"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0x1p60, 0x1p60 + 1e6, 1, DType.INT64))
                .getMessage().contains("integer bounds beyond 2^53 are not exact"));
        assertTrue(assertThrows(OpException.class, () -> Ops.range(0, 1e12, 1)).getMessage()
                .contains("more than one CPU tensor holds"));
    }

    // ---------------------------------------------------------------- eye

    @Test
    void eyeSquareRectangularAndEmpty() {
        assertClose(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Ops.eye(3), DType.FLOAT32, new int[] {3, 3}, 0);
        assertExact(new long[] {1, 0, 0, 0, 0, 1, 0, 0}, Ops.eye(2, 4, DType.INT64), DType.INT64, 2, 4);
        assertExact(new long[] {1, 0, 0, 1, 0, 0}, Ops.eye(3, 2, DType.BOOL), DType.BOOL, 3, 2);
        assertExact(new long[] {1, 0, 0, 1}, Ops.run(RandomOps.EYE, Attrs.of("numRows", 2, "dtype", DType.UINT8)),
                DType.UINT8, 2, 2);
        assertEquals(Shape.of(0, 0), Ops.eye(0).shape());
        assertEquals(Shape.of(0, 5), Ops.eye(0, 5, DType.FLOAT64).shape());
        OpException e = assertThrows(OpException.class, () -> Ops.eye(-2));
        assertEquals("Eye: numRows and numColumns must be >= 0 (numColumns -1 means numRows), got numRows=-2, "
                + "numColumns=-2", e.getMessage());
    }

    // ---------------------------------------------------------------- random

    @Test
    void randomOpsAreStatefulAndNotDifferentiable() {
        for (OpDef op : List.of(RandomOps.RANDOM_UNIFORM, RandomOps.RANDOM_NORMAL, RandomOps.TRUNCATED_NORMAL)) {
            assertTrue(op.isStateful(), op.name());
            assertFalse(op.isDifferentiable(), op.name());
        }
        assertFalse(RandomOps.RANGE.isDifferentiable());
        assertFalse(RandomOps.FILL.isStateful());
    }

    @Test
    void sameSeedSameValuesDifferentSeedDifferentValues() {
        int[] shape = {3, 10000}; // several generator chunks
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            assertArrayEquals(Ops.randomUniform(shape, d, 0, 1, 42).toDoubleArray(),
                    Ops.randomUniform(shape, d, 0, 1, 42).toDoubleArray());
            assertArrayEquals(Ops.randomNormal(shape, d, 0, 1, 42).toDoubleArray(),
                    Ops.randomNormal(shape, d, 0, 1, 42).toDoubleArray());
            assertArrayEquals(Ops.truncatedNormal(shape, d, 0, 1, 42).toDoubleArray(),
                    Ops.truncatedNormal(shape, d, 0, 1, 42).toDoubleArray());
            assertFalse(java.util.Arrays.equals(Ops.randomUniform(shape, d, 0, 1, 42).toDoubleArray(),
                    Ops.randomUniform(shape, d, 0, 1, 43).toDoubleArray()));
        }
        // A prefix of a larger tensor equals the smaller tensor with the same seed (the layout is per element).
        double[] small = Ops.randomNormal(new int[] {100}, DType.FLOAT64, 0, 1, 7).toDoubleArray();
        double[] large = Ops.randomNormal(new int[] {50000}, DType.FLOAT64, 0, 1, 7).toDoubleArray();
        assertArrayEquals(small, java.util.Arrays.copyOf(large, 100));
    }

    /** The values must not depend on the number of kernel threads: run a single-threaded JVM and compare. */
    @Test
    void sameValuesWithOneThread() throws IOException, InterruptedException {
        int[] shape = {40000};
        double[] here = Ops.randomNormal(shape, DType.FLOAT64, 0, 1, 99).toDoubleArray();
        Path out = Files.createTempFile("nabla-random", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules=jdk.incubator.vector", "-Dnabla.threads=1",
                    "-cp", System.getProperty("java.class.path"), OneThread.class.getName(), out.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), log);
            String[] lines = Files.readString(out).trim().split("\n");
            assertEquals(here.length, lines.length);
            for (int i = 0; i < here.length; i++) assertEquals(here[i], Double.parseDouble(lines[i]), "element " + i);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Entry point for {@link #sameValuesWithOneThread()}. */
    static final class OneThread {
        public static void main(String[] args) throws IOException {
            double[] v = Ops.randomNormal(new int[] {40000}, DType.FLOAT64, 0, 1, 99).toDoubleArray();
            StringBuilder sb = new StringBuilder();
            for (double x : v) sb.append(x).append('\n');
            Files.writeString(Path.of(args[0]), sb);
        }
    }

    @Test
    void uniformStatisticsAndBounds() {
        int n = 1_000_000;
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            double[] v = Ops.randomUniform(new int[] {n}, d, -2, 3, 5).toDoubleArray();
            double[] m = moments(v);
            for (double x : v) assertTrue(x >= -2 && x < 3, "out of [-2, 3): " + x);
            // mean 0.5, std 5/sqrt(12); standard error of the mean is 1.44e-3
            assertEquals(0.5, m[0], 0.0075, d + " mean");
            assertEquals(5 / Math.sqrt(12), m[1], 0.005, d + " std");
        }
        long[] ints = Ops.randomUniform(new int[] {n}, DType.INT32, -3, 4, 5).toLongArray();
        long[] counts = new long[7];
        for (long x : ints) counts[(int) x + 3]++;
        for (long c : counts) assertEquals(n / 7.0, c, 2000, "every value in [-3, 4) about equally often");
        long[] wide = Ops.randomUniform(new int[] {1000}, DType.INT64, 1L << 40, (1L << 40) + 10, 5).toLongArray();
        for (long x : wide) assertTrue(x >= 1L << 40 && x < (1L << 40) + 10, "int64 out of range: " + x);
    }

    @Test
    void normalStatistics() {
        int n = 1_000_000;
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            double[] m = moments(Ops.randomNormal(new int[] {1000, 1000}, d, 3, 2, 11).toDoubleArray());
            assertEquals(3, m[0], 0.01, d + " mean"); // standard error 0.002
            assertEquals(2, m[1], 0.01, d + " std");
            assertEquals(0, m[2], 0.02, d + " skewness");
        }
        double[] std = Ops.randomNormal(new int[] {n}, DType.FLOAT64, 0, 1, 12).toDoubleArray();
        long within1 = 0;
        for (double x : std) if (Math.abs(x) <= 1) within1++;
        assertEquals(0.682689, within1 / (double) n, 0.003, "fraction within 1 stddev");
    }

    @Test
    void truncatedNormalStaysWithinTwoStddev() {
        int n = 1_000_000;
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            double[] v = Ops.truncatedNormal(new int[] {n}, d, 1, 0.5, 13).toDoubleArray();
            for (double x : v) assertTrue(x >= 1 - 1.0 - 1e-6 && x <= 1 + 1.0 + 1e-6, "beyond 2 stddev: " + x);
            double[] m = moments(v);
            assertEquals(1, m[0], 0.005, d + " mean");
            // the standard normal truncated to [-2, 2] has stddev 0.879626
            assertEquals(0.5 * 0.879626, m[1], 0.004, d + " std");
        }
    }

    @Test
    void randomShapesDTypesAndErrors() {
        assertEquals(Shape.SCALAR, Ops.randomNormal(new int[0], DType.FLOAT32, 0, 1, 1).shape());
        assertEquals(Shape.of(0, 3), Ops.randomUniform(new int[] {0, 3}, DType.FLOAT64, 0, 1, 1).shape());
        assertEquals(DType.FLOAT64, Ops.truncatedNormal(new int[] {2}, DType.FLOAT64, 0, 1, 1).dtype());
        assertEquals(0, Ops.randomNormal(new int[] {4}, DType.FLOAT32, 5, 0, 1).toDoubleArray()[0] - 5);
        assertEquals("RandomUniform: need finite minval < maxval, got minval=1.0, maxval=1.0",
                assertThrows(OpException.class, () -> Ops.randomUniform(new int[] {2}, DType.FLOAT32, 1, 1, 0))
                        .getMessage());
        assertEquals("RandomUniform: dtype must be float16, bfloat16, float32, float64, int32 or int64, got bool",
                assertThrows(OpException.class, () -> Ops.randomUniform(new int[] {2}, DType.BOOL, 0, 1, 0))
                        .getMessage());
        assertTrue(assertThrows(OpException.class, () -> Ops.randomUniform(new int[] {2}, DType.INT32, 0, 1.5, 0))
                .getMessage().contains("must be int32 integers"));
        assertEquals("RandomNormal: dtype must be float16, bfloat16, float32 or float64, got int32",
                assertThrows(OpException.class, () -> Ops.randomNormal(new int[] {2}, DType.INT32, 0, 1, 0))
                        .getMessage());
        assertEquals("TruncatedNormal: need a finite mean and a finite stddev >= 0, got mean=0.0, stddev=-1.0",
                assertThrows(OpException.class, () -> Ops.truncatedNormal(new int[] {2}, DType.FLOAT32, 0, -1, 0))
                        .getMessage());
        assertTrue(assertThrows(OpException.class, () -> Ops.randomNormal(new int[] {-3}, DType.FLOAT32, 0, 1, 0))
                .getMessage().startsWith("RandomNormal: shape [-3] has a negative dimension"));
    }

    /** Mean, standard deviation and skewness, in float64. */
    private static double[] moments(double[] v) {
        double sum = 0;
        for (double x : v) sum += x;
        double mean = sum / v.length, m2 = 0, m3 = 0;
        for (double x : v) {
            double d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= v.length;
        m3 /= v.length;
        return new double[] {mean, Math.sqrt(m2), m3 / Math.pow(m2, 1.5)};
    }
}
