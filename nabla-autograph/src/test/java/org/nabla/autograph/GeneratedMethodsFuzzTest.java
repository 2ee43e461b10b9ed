package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;

/**
 * Many small methods from a fixed family of templates (assignments, if/else, while loops with break and continue,
 * Java for loops, early returns, nested to depth 3), compiled at test time with javac: each one run eagerly as
 * written, converted and run eagerly (bitwise equal), and converted and traced (equal up to rounding).
 */
class GeneratedMethodsFuzzTest {
    private static final int METHODS = Integer.getInteger("nabla.autograph.fuzzMethods", 60);
    private static final int SEED = Integer.getInteger("nabla.autograph.fuzzSeed", 1000);

    /** Writes random statements over the float32 vectors a, b (length 3) and the loop counters k0, k1... */
    private static final class Generator {
        final Random r;
        final StringBuilder out = new StringBuilder();
        int counters;

        Generator(long seed) { r = new Random(seed); }

        String cond() {
            String c = switch (r.nextInt(4)) {
                case 0 -> "Ops.sum(a).greater(Ops.sum(b))";
                case 1 -> "Ops.max(a, 0).less(" + (r.nextInt(5) - 2) * 0.5 + ")";
                case 2 -> "Ops.min(b, 0).greater(" + (r.nextInt(5) - 2) * 0.5 + ")";
                default -> "Ops.sum(a.mul(b)).less(0.25)";
            };
            return (r.nextInt(4) == 0 ? "!" : "") + c + ".booleanValue()";
        }

        String assign() {
            return switch (r.nextInt(6)) {
                case 0 -> "a = a.add(b).mul(0.5f);";
                case 1 -> "a = Ops.tanh(a.add(0.3f));";
                case 2 -> "b = b.sub(a.mul(0.25f));";
                case 3 -> "b = Ops.abs(b).add(-0.2f);";
                case 4 -> "a = a.mul(-1f);";
                default -> "b = Ops.sin(b.add(a));";
            };
        }

        void block(String indent, int depth, boolean inTensorLoop, boolean topLevel) {
            int n = 1 + r.nextInt(3);
            for (int s = 0; s < n; s++) statement(indent, depth, inTensorLoop, topLevel && s == n - 1);
        }

        void statement(String indent, int depth, boolean inTensorLoop, boolean lastTopLevel) {
            int kind = depth >= 3 ? 0 : r.nextInt(lastTopLevel ? 7 : 6);
            switch (kind) {
                case 1 -> {
                    line(indent, "if (" + cond() + ") {");
                    block(indent + "    ", depth + 1, inTensorLoop, false);
                    if (r.nextBoolean()) {
                        line(indent, "} else {");
                        block(indent + "    ", depth + 1, inTensorLoop, false);
                    }
                    line(indent, "}");
                }
                case 2, 3 -> {
                    String k = "k" + counters++;
                    line(indent, "{");
                    line(indent, "    Tensor " + k + " = Tensors.scalar(0);");
                    line(indent, "    while (" + k + ".less(" + r.nextInt(4) + ").booleanValue()) {");
                    line(indent, "        " + k + " = " + k + ".add(1);");
                    int extra = r.nextInt(4);
                    if (extra == 1) line(indent, "        if (" + cond() + ") continue;");
                    if (extra == 3) {                  // a break or continue nested in a condition, then more code
                        line(indent, "        if (" + cond() + ") {");
                        line(indent, "            if (" + cond() + ") " + (r.nextBoolean() ? "break;" : "continue;"));
                        line(indent, "            " + assign());
                        line(indent, "        }");
                    }
                    block(indent + "        ", depth + 1, true, false);
                    if (extra == 2) line(indent, "        if (" + cond() + ") break;");
                    line(indent, "    }");
                    line(indent, "}");
                }
                case 4 -> {
                    line(indent, "for (int j" + counters + " = 0; j" + counters + " < 2; j" + counters++ + "++) {");
                    line(indent + "    ", assign());
                    if (r.nextBoolean()) line(indent + "    ", "if (" + cond() + ") " + assign());
                    line(indent, "}");
                }
                case 6 -> line(indent, "if (" + cond() + ") return a.sub(b);");
                default -> line(indent, assign());
            }
        }

        void line(String indent, String text) { out.append(indent).append(text).append('\n'); }
    }

    private static String source(int methods) {
        StringBuilder src = new StringBuilder("package gen;\nimport org.nabla.*;\nimport org.nabla.autograph.*;\n"
                + "public class Generated {\n");
        for (int m = 0; m < methods; m++) {
            Generator g = new Generator(SEED + m);
            g.line("        ", "Tensor a = x;");
            g.line("        ", "Tensor b = x.mul(0.5f).add(0.1f);");
            g.block("        ", 0, false, true);
            g.line("        ", "return a.add(b.mul(2f));");
            src.append("    public static Tensor m").append(m).append("(Tensor x) {\n").append(g.out).append("    }\n");
        }
        src.append("    public static final UnaryTensorFunction[] ALL = {");
        for (int m = 0; m < methods; m++) src.append(m == 0 ? "" : ", ").append("Generated::m").append(m);
        return src.append("};\n}\n").toString();
    }

    @Test
    void convertedAndTracedEqualsEagerForGeneratedMethods(@TempDir Path dir) throws Exception {
        String src = source(METHODS);
        Path file = dir.resolve("gen/Generated.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, src);
        int rc = javac("-g", "-proc:none", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
        assertEquals(0, rc, "javac failed on\n" + src);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                GeneratedMethodsFuzzTest.class.getClassLoader())) {
            UnaryTensorFunction[] all = (UnaryTensorFunction[]) loader.loadClass("gen.Generated")
                    .getField("ALL").get(null);
            List<float[]> inputs = List.of(new float[] {1, -2, 3}, new float[] {-1, -0.5f, 0.2f},
                    new float[] {0.3f, 0.1f, -0.9f}, new float[] {2, 2, 2});
            for (int m = 0; m < all.length; m++) {
                TracedFunction traced = AutoGraph.unary(all[m]);
                UnaryTensorFunction converted = AutoGraph.convertUnary(all[m]);
                try {
                    traced.concreteFunction(Tensors.of(inputs.get(0)).spec());
                } catch (RuntimeException e) {
                    throw new AssertionError("m" + m + " does not convert:\n" + numbered(src, m), e);
                }
                for (float[] in : inputs) {
                    Tensor x = Tensors.of(in);
                    float[] eager = all[m].apply(x).toFloatArray();
                    assertArrayEquals(eager, converted.apply(x).toFloatArray(), "m" + m + " converted eager");
                    float[] graph = traced.apply(x).toFloatArray();
                    for (int i = 0; i < eager.length; i++) {
                        assertEquals(eager[i], graph[i], 1e-5 * Math.max(1, Math.abs(eager[i])),
                                "m" + m + " traced, input " + java.util.Arrays.toString(in) + "\n" + method(src, m));
                    }
                }
                assertEquals(1, traced.traceCount(), "m" + m);
            }
        }
    }

    private static String numbered(String src, int m) {
        List<String> lines = src.lines().toList();
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("public static Tensor m" + m + "(")) in = true;
            else if (in && lines.get(i).startsWith("    public static")) break;
            if (in) b.append(i + 1).append(": ").append(lines.get(i)).append('\n');
        }
        return b.toString();
    }

    private static String method(String src, int m) {
        int start = src.indexOf("public static Tensor m" + m + "(");
        int end = src.indexOf("    public static", start + 10);
        return src.substring(start, end);
    }

    /**
     * Runs javac in process. Reached by reflection: the tests are compiled inside module org.nabla.autograph, which
     * does not read java.compiler (they run on the class path, where it is there).
     */
    private static int javac(String... args) throws ReflectiveOperationException {
        Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler").invoke(null);
        return (int) Class.forName("javax.tools.Tool").getMethod("run", java.io.InputStream.class,
                java.io.OutputStream.class, java.io.OutputStream.class, String[].class)
                .invoke(compiler, null, null, null, args);
    }
}
