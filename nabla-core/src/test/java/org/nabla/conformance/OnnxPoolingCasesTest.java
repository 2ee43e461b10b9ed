package org.nabla.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nabla.Ops;
import org.nabla.Ops.PoolOptions;
import org.nabla.Tensor;

/**
 * ONNX's MaxPool, AveragePool and GatherElements cases run through {@link Ops#maxPoolWithIndices},
 * {@link Ops#avgPool} and {@link Ops#gatherElements}, with the attribute mapping an importer would use; every case
 * must match (float outputs within ONNX's tolerances, integers exactly).
 */
class OnnxPoolingCasesTest {
    @TestFactory
    Stream<DynamicTest> poolingAndGatherElementsCases() throws IOException {
        Path suite = OnnxConformanceTest.suiteDir();
        Assumptions.assumeTrue(suite != null, "ONNX conformance folder not found");
        List<Path> cases;
        try (Stream<Path> s = Files.list(suite)) {
            cases = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("test_maxpool_") || n.startsWith("test_averagepool_")
                        || n.startsWith("test_gather_elements_");
            }).sorted().toList();
        }
        assertEquals(29, cases.size(), "13 MaxPool, 13 AveragePool and 3 GatherElements cases expected in " + suite);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    /** The ONNX attributes as PoolOptions. */
    static PoolOptions options(OnnxCase c) {
        PoolOptions o = PoolOptions.of(c.attrInts("kernel_shape", null))
                .strides(c.attrInts("strides", new int[0]))
                .dilations(c.attrInts("dilations", new int[0]))
                .pads(c.attrInts("pads", new int[0]))
                .ceilMode(c.attrInt("ceil_mode", 0) == 1)
                .countIncludePad(c.attrInt("count_include_pad", 0) == 1)
                .storageOrder((int) c.attrInt("storage_order", 0));
        return switch (c.attrString("auto_pad", "NOTSET")) {
            case "SAME_UPPER" -> o.padding("SAME");
            case "SAME_LOWER" -> o.padding("SAME_LOWER");
            case "VALID" -> o.padding("VALID");
            default -> o;
        };
    }

    private static void run(Path dir) throws IOException {
        OnnxCase c = OnnxCase.load(dir);
        List<Tensor> in = new ArrayList<>();
        for (OnnxCase.TensorData t : c.inputSets.get(0)) in.add(OnnxConformanceTest.toTensor(t));
        List<Tensor> out = switch (c.opType) {
            case "MaxPool" -> List.of(Ops.maxPoolWithIndices(in.get(0), options(c)));
            case "AveragePool" -> List.of(Ops.avgPool(in.get(0), options(c)));
            case "GatherElements" -> List.of(Ops.gatherElements(in.get(0), in.get(1), (int) c.attrInt("axis", 0)));
            default -> throw new AssertionError("unexpected op " + c.opType);
        };
        List<OnnxCase.TensorData> expected = c.outputSets.get(0);
        for (int k = 0; k < expected.size(); k++) {
            Tensor want = OnnxConformanceTest.toTensor(expected.get(k));
            Tensor got = out.get(k);
            assertEquals(want.dtype(), got.dtype(), c.name + " output " + k + " dtype");
            assertArrayEquals(want.shape().dims(), got.shape().dims(), c.name + " output " + k + " shape");
            if (want.dtype().isFloating()) { // ONNX's tolerances: some expected values are rounded to 4 digits
                double[] e = want.toDoubleArray(), g = got.toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    double err = Math.abs(e[i] - g[i]);
                    assertTrue(err <= OnnxConformanceTest.ATOL + OnnxConformanceTest.RTOL * Math.abs(e[i]),
                            c.name + " element " + i + ": expected " + e[i] + ", got " + g[i]);
                }
            } else {
                assertArrayEquals(want.toLongArray(), got.toLongArray(), c.name + " output " + k);
            }
        }
    }
}
