package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nabla.onnx.OnnxConformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nabla onnx-test DIR}: runs ONNX operator test cases through the importer and prints pass/fail/skip. */
@Command(name = "onnx-test", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Run ONNX test cases: every folder under DIR holding model.onnx and test_data_set_*/ (or DIR "
                + "itself). Prints pass, fail (largest error) or skip (reason) per case, then 'N passed, M failed, "
                + "K skipped'. Exits 1 when a case fails.")
public final class OnnxTestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder of ONNX test cases, e.g. onnx/backend/test/data/node.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        List<Path> cases = OnnxConformance.cases(dir);
        if (cases.isEmpty()) {
            throw new IOException(dir + ": no ONNX test cases (folders holding model.onnx) found");
        }
        List<OnnxConformance.Result> results = OnnxConformance.runAll(dir, r -> System.out.println(r));
        System.out.println(OnnxConformance.summary(results));
        return results.stream().anyMatch(r -> r.status() == OnnxConformance.Status.FAIL) ? 1 : 0;
    }
}
