package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * ONNX's single-operator conformance cases (../shared/conformance/onnx-node) through the importer and a Session: a
 * failure fails the build, a skip (an operator or dtype Nabla lacks) is reported with its reason.
 */
class OnnxConformanceTest {
    private static final List<OnnxConformance.Result> RESULTS = new CopyOnWriteArrayList<>();

    /** The conformance folder next to the repository, as laid out for developers and CI. */
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
        return OnnxConformance.cases(suite).stream().map(dir -> DynamicTest.dynamicTest(
                dir.getFileName().toString(), () -> {
                    OnnxConformance.Result r = OnnxConformance.run(dir);
                    RESULTS.add(r);
                    System.out.println(r);
                    switch (r.status()) {
                        case FAIL -> throw new AssertionFailedError(r.detail());
                        case SKIP -> Assumptions.abort(r.detail());
                        case PASS -> { }
                    }
                }));
    }

    @AfterAll
    static void summary() {
        if (!RESULTS.isEmpty()) System.out.println("ONNX conformance: " + OnnxConformance.summary(RESULTS));
    }
}
