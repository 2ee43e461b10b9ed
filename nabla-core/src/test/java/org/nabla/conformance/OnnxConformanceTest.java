package org.nabla.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * Runs ONNX's single-operator conformance cases (../shared/conformance/onnx-node) through the Nabla ops that
 * {@link OnnxOps} maps, comparing with ONNX's tolerances (rtol 1e-3, atol 1e-7; exact for integers and booleans).
 * A case whose operator, attributes or dtypes Nabla does not cover is skipped with the reason; a mapped case that
 * disagrees fails with its largest error.
 */
class OnnxConformanceTest {
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-7;
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static final AtomicInteger SKIPPED = new AtomicInteger();

    /** The conformance folder: next to the repository, as laid out for developers and CI. */
    static Path suiteDir() {
        String override = System.getProperty("nabla.conformance.dir");
        if (override != null) return Path.of(override);
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("../shared/conformance/onnx-node").normalize();
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> onnxNodeCases() throws IOException {
        Path suite = suiteDir();
        Assumptions.assumeTrue(suite != null, "ONNX conformance folder ../shared/conformance/onnx-node not found");
        List<Path> cases;
        try (Stream<Path> s = Files.list(suite)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> runCase(dir)));
    }

    private static void runCase(Path dir) throws IOException {
        OnnxCase c = OnnxCase.load(dir);
        try {
            if (c.nonTensorValue) throw new OnnxOps.Unsupported("sequence/optional values are not tensors");
            for (int set = 0; set < c.inputSets.size(); set++) {
                List<Tensor> inputs = new ArrayList<>();
                for (OnnxCase.TensorData t : c.inputSets.get(set)) inputs.add(toTensor(t));
                List<Tensor> actual = OnnxOps.run(c, inputs);
                List<OnnxCase.TensorData> expected = c.outputSets.get(set);
                assertEquals(expected.size(), actual.size(), "number of outputs");
                for (int k = 0; k < expected.size(); k++) compare(c.name + " output " + k, expected.get(k), actual.get(k));
            }
        } catch (OnnxOps.Unsupported e) {
            SKIPPED.incrementAndGet();
            System.out.println("skip " + c.name + " (" + e.getMessage() + ")");
            Assumptions.abort(e.getMessage());
        } catch (AssertionError | RuntimeException e) {
            FAILED.incrementAndGet();
            System.out.println("fail " + c.name + " (" + e.getMessage() + ")");
            throw e;
        }
        PASSED.incrementAndGet();
        System.out.println("pass " + c.name);
    }

    @AfterAll
    static void summary() {
        System.out.println("ONNX conformance: " + PASSED + " passed, " + FAILED + " failed, " + SKIPPED + " skipped");
    }

    static DType dtypeOf(int onnxType) {
        return switch (onnxType) {
            case 1 -> DType.FLOAT32;
            case 11 -> DType.FLOAT64;
            case 6 -> DType.INT32;
            case 7 -> DType.INT64;
            case 2 -> DType.UINT8;
            case 9 -> DType.BOOL;
            default -> throw new OnnxOps.Unsupported("ONNX dtype " + onnxTypeName(onnxType) + " is not a Nabla dtype");
        };
    }

    static String onnxTypeName(int t) {
        String[] names = {"undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool",
                "float16", "double", "uint32", "uint64", "complex64", "complex128", "bfloat16"};
        return t >= 0 && t < names.length ? names[t] : "type " + t;
    }

    static Tensor toTensor(OnnxCase.TensorData t) {
        DType dtype = dtypeOf(t.dataType());
        Shape shape = Shape.of(t.dims());
        int n = t.size();
        Object data = switch (dtype) {
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) t.floats()[i]; yield a; }
            case FLOAT64 -> t.floats().clone();
            case INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (int) t.ints()[i]; yield a; }
            case INT64 -> t.ints().clone();
            case UINT8, BOOL -> { byte[] a = new byte[n]; for (int i = 0; i < n; i++) a[i] = (byte) t.ints()[i]; yield a; }
            default -> throw new OnnxOps.Unsupported("ONNX dtype for " + dtype + " is not mapped yet");
        };
        return Tensor.wrap(dtype, shape, data);
    }

    private static void compare(String what, OnnxCase.TensorData expected, Tensor actual) {
        DType dtype = dtypeOf(expected.dataType());
        if (actual.dtype() != dtype) {
            throw new AssertionFailedError(what + ": dtype " + actual.dtype() + ", expected " + dtype);
        }
        if (!Arrays.equals(Arrays.stream(expected.dims()).mapToInt(x -> (int) x).toArray(), actual.shape().dims())) {
            throw new AssertionFailedError(what + ": shape " + actual.shape() + ", expected "
                    + Arrays.toString(expected.dims()));
        }
        if (dtype.isFloating()) {
            double[] got = actual.toDoubleArray();
            double worst = 0;
            int worstAt = -1;
            for (int i = 0; i < got.length; i++) {
                double e = expected.floats()[i], a = got[i];
                if (Double.isNaN(e) && Double.isNaN(a) || e == a) continue;
                double err = Math.abs(e - a);
                if (!(err <= ATOL + RTOL * Math.abs(e)) && (worstAt < 0 || err > worst || Double.isNaN(err))) {
                    worst = err;
                    worstAt = i;
                }
            }
            if (worstAt >= 0) {
                throw new AssertionFailedError(what + ": largest error " + worst + " at element " + worstAt
                        + " (expected " + expected.floats()[worstAt] + ", got " + got[worstAt] + ")");
            }
        } else {
            long[] got = actual.toLongArray();
            for (int i = 0; i < got.length; i++) {
                if (got[i] != expected.ints()[i]) {
                    throw new AssertionFailedError(what + ": element " + i + " is " + got[i] + ", expected "
                            + expected.ints()[i]);
                }
            }
        }
    }
}
