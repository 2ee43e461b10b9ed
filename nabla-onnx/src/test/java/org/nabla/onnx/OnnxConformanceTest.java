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
 * ONNX's single-operator conformance cases (../shared/conformance/onnx-node and onnx-node-more) through the importer
 * and a Session: a failure fails the build, a skip (an operator or dtype Nabla lacks) is reported with its reason, a
 * random operator's case is compared by distribution and reported as such. The closing summary lists every skip.
 */
class OnnxConformanceTest {
    private static final List<OnnxConformance.Result> RESULTS = new CopyOnWriteArrayList<>();

    /** A conformance folder next to the repository, as laid out for developers and CI ({@code name}: onnx-node...). */
    static Path suiteDir(String name) {
        String override = System.getProperty("nabla.conformance.dir");
        if (override != null) return Path.of(override).resolve(name);
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("../shared/conformance/" + name).normalize();
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> onnxNodeCases() throws IOException {
        return cases("onnx-node");
    }

    @TestFactory
    Stream<DynamicTest> onnxNodeMoreCases() throws IOException {
        return cases("onnx-node-more");
    }

    private static Stream<DynamicTest> cases(String name) throws IOException {
        Path suite = suiteDir(name);
        Assumptions.assumeTrue(suite != null && Files.isDirectory(suite),
                "ONNX conformance folder ../shared/conformance/" + name + " not found");
        return OnnxConformance.cases(suite).stream().map(dir -> DynamicTest.dynamicTest(
                dir.getFileName().toString(), () -> {
                    OnnxConformance.Result r = OnnxConformance.run(dir);
                    RESULTS.add(r);
                    System.out.println(r);
                    switch (r.status()) {
                        case FAIL -> throw new AssertionFailedError(r.detail());
                        case SKIP -> Assumptions.abort(r.detail());
                        case PASS, RANDOM -> { }
                    }
                }));
    }

    @AfterAll
    static void summary() {
        if (RESULTS.isEmpty()) return;
        System.out.println("ONNX conformance: " + OnnxConformance.summary(RESULTS));
        RESULTS.stream().filter(r -> r.status() == OnnxConformance.Status.SKIP)
                .forEach(r -> System.out.println("  skipped " + r.name() + ": " + r.detail()));
    }
}
