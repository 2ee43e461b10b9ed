package org.nabla.cli;

import org.nabla.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.nabla.graph.Graph;
import org.nabla.onnx.OnnxImporter;
import org.nabla.onnx.OnnxModel;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla graph}: the traced prediction graph of a model as Graphviz dot text, or as SVG through {@code dot}. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Write a model's traced prediction graph as Graphviz dot (or SVG through the "
        + "Graphviz dot program).")
public final class GraphCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME|DIR", defaultValue = "cnn",
            description = "mlp, cnn, a saved model directory, or an ONNX file (its imported graph) "
                    + "(default: ${DEFAULT-VALUE}).")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Format format = new Format();

    static final class Format {
        @Option(names = "--dot", arity = "0..1", paramLabel = "FILE", fallbackValue = "-",
                description = "Write dot text to FILE (default: standard output).")
        String dot;

        @Option(names = "--svg", paramLabel = "FILE", description = "Render SVG to FILE with Graphviz's dot.")
        Path svg;
    }

    /** The Graphviz program; a system property lets tests point it elsewhere. */
    static String dotProgram() { return System.getProperty("nabla.dot", "dot"); }

    /** How long dot may run; a system property lets tests shorten it. */
    static long dotTimeoutSeconds() { return Long.getLong("nabla.dot.timeout", 120); }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Graph g;
        if (model.endsWith(".onnx") && Files.isRegularFile(Path.of(model))) {
            try (OnnxModel m = OnnxImporter.load(Path.of(model))) { // any ONNX model, not only classifiers
                g = m.graph();
            }
        } else {
            try (Classifier c = Classifier.open(model, null, false)) {
                g = c.graph();
            }
        }
        String dot = g.toDot();
        if (format.svg != null) {
            writeSvg(dot, format.svg);
            System.out.println("nabla graph: wrote " + format.svg + " (" + g.nodes().size() + " nodes)");
        } else if (format.dot == null || format.dot.equals("-")) {
            System.out.print(dot.endsWith("\n") ? dot : dot + "\n");
        } else {
            AtomicFiles.write(Path.of(format.dot), dot.getBytes(StandardCharsets.UTF_8));
            System.out.println("nabla graph: wrote " + format.dot + " (" + g.nodes().size() + " nodes)");
        }
        return 0;
    }

    private static void writeSvg(String dot, Path svg) throws IOException, InterruptedException {
        Path tmpDot = Files.createTempFile("nabla-graph", ".dot");
        try {
            Files.writeString(tmpDot, dot);
            AtomicFiles.write(svg, tmp -> {
                Process p;
                Path log = Files.createTempFile("nabla-graph", ".log");
                try {
                    // output into a file, not a pipe: reading a pipe to its end would wait on a hung dot forever
                    p = new ProcessBuilder(dotProgram(), "-Tsvg", "-o", tmp.toString(), tmpDot.toString())
                            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                } catch (IOException e) {
                    Files.deleteIfExists(log);
                    throw new IOException("--svg needs Graphviz's '" + dotProgram() + "' program, which is not "
                            + "installed (install graphviz: apt-get install graphviz), or write dot text with --dot "
                            + "FILE");
                }
                String output;
                try {
                    long timeout = dotTimeoutSeconds();
                    if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                        throw new IOException("Graphviz dot did not finish within " + timeout + " s (killed); write "
                                + "dot text with --dot FILE instead");
                    }
                    output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running Graphviz dot");
                } finally {
                    Files.deleteIfExists(log);
                }
                if (p.exitValue() != 0) throw new IOException("Graphviz dot failed (exit " + p.exitValue() + "): "
                        + output);
            });
        } finally {
            Files.deleteIfExists(tmpDot);
        }
    }
}
