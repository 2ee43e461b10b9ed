package org.nabla.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public member of the user-facing API has a javadoc comment (issue 13): javac's doclint
 * ({@code -Xdoclint:missing/public}) over the API's sources, keeping its "no comment" findings (a class, field,
 * method or implicit default constructor without a comment) and not its wish for @param/@return tags on every
 * method, which would ask for boilerplate. A failure names each file and line. The javadoc jars check the rest of
 * doclint (HTML, references) for every package; internal packages need no comment on every member.
 */
class PublicApiDocsTest {
    /** The API a user reaches for: a folder means its own .java files (not its subfolders'); a file means itself. */
    static final List<String> API = List.of(
            "nabla-core/src/main/java/org/nabla",
            "nabla-core/src/main/java/org/nabla/autodiff/GradientTape.java",
            "nabla-core/src/main/java/org/nabla/autodiff/Gradients.java",
            "nabla-core/src/main/java/org/nabla/graph/Graph.java",
            "nabla-core/src/main/java/org/nabla/ops/TensorSpec.java",
            "nabla-core/src/main/java/org/nabla/runtime/Variables.java",
            "nabla-core/src/main/java/org/nabla/runtime/Session.java",
            "nabla-core/src/main/java/org/nabla/runtime/Runner.java",
            "nabla-core/src/main/java/org/nabla/runtime/SessionOptions.java",
            "nabla-core/src/main/java/org/nabla/profiler",
            "nabla-core/src/main/java/org/nabla/ragged/RaggedTensor.java",
            "nabla-core/src/main/java/org/nabla/sparse/Sparse.java",
            "nabla-core/src/main/java/org/nabla/sparse/SparseTensor.java",
            "nabla-autograph/src/main/java/org/nabla/autograph",
            "nabla-data/src/main/java/org/nabla/data",
            "nabla-data/src/main/java/org/nabla/data/datasets",
            "nabla-data/src/main/java/org/nabla/data/io",
            "nabla-data/src/main/java/org/nabla/data/text",
            "nabla-nn/src/main/java/org/nabla/nn",
            "nabla-nn/src/main/java/org/nabla/nn/callbacks",
            "nabla-nn/src/main/java/org/nabla/nn/layers",
            "nabla-nn/src/main/java/org/nabla/nn/losses",
            "nabla-nn/src/main/java/org/nabla/nn/metrics",
            "nabla-nn/src/main/java/org/nabla/nn/optimizers",
            "nabla-nn/src/main/java/org/nabla/nn/saving",
            "nabla-nn/src/main/java/org/nabla/nn/summary",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxImporter.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxModel.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxExporter.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxFiles.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxSavedModels.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxSignature.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/ImportOptions.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/OnnxException.java",
            "nabla-onnx/src/main/java/org/nabla/onnx/UnsupportedOnnxException.java");

    static List<Path> sources(Path root) {
        List<Path> files = new ArrayList<>();
        for (String entry : API) {
            Path p = root.resolve(entry);
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                throw new AssertionError(entry + " does not exist: update PublicApiDocsTest.API");
            }
        }
        return files;
    }

    @Test
    void everyPublicMemberOfTheApiIsDocumented() throws IOException {
        Path root = DocFiles.root();
        List<Path> files = sources(root);
        assertTrue(files.size() > 100, "found only " + files.size() + " API sources; is the root right?");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-implicit:none", "-Xlint:none", "-Xmaxwarns", "100000",
                "-Xmaxerrs", "100000", "-Xdoclint:missing/public", "--add-modules", "jdk.incubator.vector",
                "-classpath", System.getProperty("java.class.path"));
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files));
            task.analyze();
        }
        List<String> missing = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            // doclint's "missing" group also wants @param/@return/@throws on every method: not required here
            boolean undocumented = message.startsWith("no comment") || message.contains("default constructor")
                    || message.startsWith("no main description");
            if (d.getKind() != Diagnostic.Kind.ERROR && !undocumented) continue;
            String where = d.getSource() == null ? "" : DocFiles.name(root, Path.of(d.getSource().toUri())) + ":"
                    + d.getLineNumber() + ": ";
            missing.add(where + message);
        }
        assertTrue(missing.isEmpty(), missing.size() + " public members of the API have no javadoc comment (say what"
                + " it does, units and shapes, what it throws):\n" + String.join("\n", missing));
    }
}
