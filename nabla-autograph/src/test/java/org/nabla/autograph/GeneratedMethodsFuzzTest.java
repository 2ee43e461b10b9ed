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

        String cond() { return cond("a", "b"); }

        /** A bool tensor condition over the Tensor locals {@code a} and {@code b}. */
        String cond(String a, String b) {
            String c = switch (r.nextInt(4)) {
                case 0 -> "Ops.sum(" + a + ").greater(Ops.sum(" + b + "))";
                case 1 -> "Ops.max(" + a + ", 0).less(" + (r.nextInt(5) - 2) * 0.5 + ")";
                case 2 -> "Ops.min(" + b + ", 0).greater(" + (r.nextInt(5) - 2) * 0.5 + ")";
                default -> "Ops.sum(" + a + ".mul(" + b + ")).less(0.25)";
            };
            return (r.nextInt(4) == 0 ? "!" : "") + c + ".booleanValue()";
        }

        /** One or two conditions joined by && or || (lazy right operands). */
        String conds() {
            return switch (r.nextInt(3)) {
                case 0 -> cond();
                case 1 -> cond() + " && " + cond();
                default -> cond() + " || " + cond();
            };
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

        /** A Tensor expression of a and b: plain, a conditional expression, a lambda or another class's method. */
        String value() {
            return switch (r.nextInt(5)) {
                case 0 -> "(" + cond() + " ? a.mul(0.5f) : Ops.cos(b))";
                case 1 -> "((java.util.function.BinaryOperator<Tensor>) (p, q) -> { if (" + cond("p", "q")
                        + ") return p.sub(q); return Ops.tanh(p.add(q)); }).apply(a, b)";
                case 2 -> "GenHelpers.shrink(a.add(b))";
                case 3 -> "new GenHelpers(" + (1 + r.nextInt(3)) * 0.25f + "f).pick(a, b)";
                default -> "a.add(b).mul(0.5f)";
            };
        }

        /**
         * Statements at nesting {@code depth}. {@code inTensorLoop}: inside a loop on a tensor condition;
         * {@code returnOk}: a return inside a tensor loop may appear (the code after that loop returns on every
         * path: the loop is at the method's top level or inside another tensor loop).
         */
        void block(String indent, int depth, boolean inTensorLoop, boolean topLevel, boolean returnOk) {
            int n = 1 + r.nextInt(3);
            for (int s = 0; s < n; s++) statement(indent, depth, inTensorLoop, topLevel && s == n - 1, returnOk);
        }

        void statement(String indent, int depth, boolean inTensorLoop, boolean lastTopLevel, boolean returnOk) {
            int kind = depth >= 3 ? 0 : r.nextInt(lastTopLevel ? 12 : 11);
            boolean branchReturns = inTensorLoop && returnOk;
            switch (kind) {
                case 1, 7 -> {
                    line(indent, "if (" + (kind == 7 ? conds() : cond()) + ") {");
                    block(indent + "    ", depth + 1, inTensorLoop, false, branchReturns);
                    if (kind == 7 || r.nextBoolean()) {
                        line(indent, "} else {");
                        block(indent + "    ", depth + 1, inTensorLoop, false, branchReturns);
                    }
                    line(indent, "}");
                }
                case 2, 3 -> {
                    String k = "k" + counters++;
                    line(indent, "{");
                    line(indent, "    Tensor " + k + " = Tensors.scalar(0);");
                    line(indent, "    while (" + k + ".less(" + r.nextInt(4) + ").booleanValue()"
                            + (r.nextInt(4) == 0 ? " && " + cond() : "") + ") {");
                    line(indent, "        " + k + " = " + k + ".add(1);");
                    int extra = r.nextInt(returnOk ? 5 : 4);
                    if (extra == 1) line(indent, "        if (" + cond() + ") continue;");
                    if (extra == 3) {                  // a break or continue nested in a condition, then more code
                        line(indent, "        if (" + cond() + ") {");
                        line(indent, "            if (" + cond() + ") " + (r.nextBoolean() ? "break;" : "continue;"));
                        line(indent, "            " + assign());
                        line(indent, "        }");
                    }
                    if (extra == 4) line(indent, "        if (" + conds() + ") return a.sub(b).mul(Ops.cast(" + k + ", DType.FLOAT32));");
                    block(indent + "        ", depth + 1, true, false, returnOk);
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
                case 5 -> line(indent, (r.nextBoolean() ? "a" : "b") + " = " + value() + ";");
                case 8 -> {                               // do-while: the body runs at least once
                    String k = "k" + counters++;
                    line(indent, "{");
                    line(indent, "    Tensor " + k + " = Tensors.scalar(0);");
                    line(indent, "    do {");
                    line(indent, "        " + k + " = " + k + ".add(1);");
                    if (r.nextBoolean()) line(indent, "        if (" + cond() + ") continue;");
                    block(indent + "        ", depth + 1, false, false, false);
                    String bound = k + ".less(" + r.nextInt(4) + ").booleanValue()";
                    line(indent, "    } while (" + switch (r.nextInt(3)) {        // bounded: k grows each time
                        case 0 -> bound;
                        case 1 -> bound + " && " + cond();
                        default -> cond() + " && " + k + ".less(4).booleanValue() || " + bound;
                    } + ");");
                    line(indent, "}");
                }
                case 9, 10 -> {                           // switch on a tensor int: statement or expression
                    String selector = "Ops.cast(Ops.floor(Ops.sum(a).mul(" + (1 + r.nextInt(3)) + ")), DType.INT32)"
                            + ".intValue()";
                    if (kind == 10) {
                        line(indent, "b = switch (" + selector + ") {");
                        line(indent, "    case 0 -> " + value() + ";");
                        line(indent, "    case -1, 2 -> " + value() + ";");
                        line(indent, "    default -> b.mul(0.75f);");
                        line(indent, "};");
                        return;
                    }
                    line(indent, "switch (" + selector + ") {");
                    line(indent, "    case -2:");
                    block(indent + "        ", depth + 1, inTensorLoop, false, branchReturns);
                    line(indent, "        break;");
                    line(indent, "    case 0:");
                    line(indent, "        " + assign());
                    line(indent, "    case 1:");                       // fall-through from case 0
                    block(indent + "        ", depth + 1, inTensorLoop, false, branchReturns);
                    if (r.nextBoolean()) line(indent, "        break;");
                    line(indent, "    default:");
                    line(indent, "        " + assign());
                    line(indent, "}");
                }
                case 11 -> line(indent, "if (" + conds() + ") return a.sub(b);");
                default -> line(indent, assign());
            }
        }

        void line(String indent, String text) { out.append(indent).append(text).append('\n'); }
    }

    /**
     * Another class of the user's that generated methods call: its methods are converted too. Public, as the
     * converted code of a class from a test loader lives in a loader of its own and reaches only public members.
     */
    private static final String HELPERS = """
                public static final class GenHelpers {
                    public final float weight;
                    public GenHelpers(float weight) { this.weight = weight; }
                    public static Tensor shrink(Tensor v) {
                        while (Ops.max(Ops.abs(v), 0).greater(1.5f).booleanValue()) v = v.mul(0.5f);
                        return v;
                    }
                    public Tensor pick(Tensor p, Tensor q) {
                        if (Ops.sum(p).greater(Ops.sum(q)).booleanValue()) return p.mul(weight);
                        return q.sub(p.mul(weight));
                    }
                }
            """;

    private static String source(int methods) {
        StringBuilder src = new StringBuilder("package gen;\nimport org.nabla.*;\nimport org.nabla.autograph.*;\n"
                + "public class Generated {\n" + HELPERS);
        for (int m = 0; m < methods; m++) {
            Generator g = new Generator(SEED + m);
            g.line("        ", "Tensor a = x;");
            g.line("        ", "Tensor b = x.mul(0.5f).add(0.1f);");
            g.block("        ", 0, false, true, true);
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
