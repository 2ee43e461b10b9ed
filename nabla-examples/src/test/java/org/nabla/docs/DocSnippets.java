package org.nabla.docs;

import com.sun.source.util.JavacTask;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The ```java blocks of markdown files, wrapped into classes and type-checked by one in-process javac task, so a doc
 * example that no longer fits the API fails a test naming the file, the line and the compiler's message.
 *
 * <p>The conventions a doc writer follows (also in docs/design.md, "Examples in the docs compile"):
 * <ul>
 *   <li>A block is a fragment. Its {@code import} lines are hoisted; declarations of types and methods (and fields
 *       with a modifier) become members of a generated class; everything else becomes the body of one method of it
 *       (which may throw anything). Every unit imports the packages of {@link #DEFAULT_IMPORTS}.</li>
 *   <li>Each block compiles on its own, except a block preceded by {@code <!-- java-continues -->}: it continues the
 *       previous java block of the same file, in the same method, so it sees the names declared there.</li>
 *   <li>Names the prose says exist (a model, a batch of images) are declared in a comment just above the block,
 *       {@code <!-- java-given: Tensor images; Sequential model; -->}: class members, compiled with the block but not
 *       rendered.</li>
 *   <li>{@code <!-- java-no-compile: why -->} exempts a block; the compile test lists every exemption.</li>
 *   <li>{@code <!-- java-complete -->} marks a block a reader copies as is: it gets none of {@link #DEFAULT_IMPORTS},
 *       so it compiles only with the imports it shows (its continuations and java-given lines see the same).</li>
 * </ul>
 * A directive comment must come right before its block (blank lines and other directives may sit between).
 */
final class DocSnippets {
    private DocSnippets() {}

    /** What every generated unit imports: every package of the modules, the everyday JDK ones, and tie-breakers. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "org.nabla.*", "org.nabla.autodiff.*", "org.nabla.device.*", "org.nabla.eager.*", "org.nabla.graph.*",
            "org.nabla.io.*", "org.nabla.kernels.*", "org.nabla.ops.*", "org.nabla.runtime.*",
            "org.nabla.runtime.optimize.*",
            "org.nabla.data.*", "org.nabla.data.datasets.*", "org.nabla.data.io.*", "org.nabla.data.text.*",
            "org.nabla.nn.*", "org.nabla.nn.callbacks.*", "org.nabla.nn.layers.*", "org.nabla.nn.losses.*",
            "org.nabla.nn.metrics.*", "org.nabla.nn.optimizers.*", "org.nabla.nn.saving.*",
            "org.nabla.nn.summary.*",
            "org.nabla.onnx.*", "org.nabla.autograph.*", "org.nabla.distributed.*", "org.nabla.distributed.strategy.*",
            "org.nabla.distributed.collective.*", "org.nabla.spark.*",
            "java.io.*", "java.nio.file.*", "java.util.*", "java.util.function.*", "java.util.stream.*");

    /** A block's {@code java-given} declarations and the markdown line of their first line. */
    record Given(int line, List<String> lines) {}

    /**
     * One fenced java block.
     *
     * @param file      the markdown file, as the failures name it (e.g. {@code docs/ops/nn.md})
     * @param line      the line of the opening fence; code line i is on line {@code line + 1 + i}
     * @param code      the block's lines, with the fence's indentation removed
     * @param given     the {@code java-given} declarations above it, or null
     * @param continues whether it continues the previous java block of the file ({@code java-continues})
     * @param noCompile the reason given by {@code java-no-compile}, or null
     * @param complete  whether it is marked {@code java-complete} (compiled with its own imports only)
     */
    record Block(String file, int line, List<String> code, Given given, boolean continues, String noCompile,
                 boolean complete) {
        String where() { return file + ":" + line; }
    }

    /** The java blocks of one file, and what is wrong with its directives. */
    record Parsed(List<Block> blocks, List<String> problems) {}

    /**
     * One generated compilation unit.
     *
     * @param block     the block it starts with (its continuations follow it)
     * @param className the generated class
     * @param source    the Java source
     * @param origin    per generated line (0-based), the markdown line it came from, or 0 for generated lines
     */
    record Unit(Block block, String className, String source, int[] origin) {}

    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^`\\s]*)(.*)$");
    private static final Pattern DIRECTIVE = Pattern.compile("^(java-[a-z-]+)\\s*:?\\s*(.*)$", Pattern.DOTALL);

    /** The java blocks of {@code markdown} (the text of {@code file}) with their directives. */
    static Parsed parse(String file, String markdown) {
        List<Block> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        Given given = null;
        boolean continues = false;
        String noCompile = null;
        boolean complete = false;
        int directiveLine = 0;   // the line of the first pending directive, 0 when none is pending
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                int indent = fence.group(1).length();
                String marker = fence.group(2);
                int end = i + 1;
                while (end < lines.length && !closes(lines[end], marker)) end++;
                if (end == lines.length) problems.add(file + ":" + (i + 1) + ": code fence is never closed");
                List<String> code = new ArrayList<>();
                for (int k = i + 1; k < end; k++) code.add(unindent(lines[k], indent));
                if (fence.group(3).equals("java")) {
                    blocks.add(new Block(file, i + 1, List.copyOf(code), given, continues, noCompile, complete));
                } else if (directiveLine != 0) {
                    problems.add(file + ":" + directiveLine + ": java directive above a block that is not ```java");
                }
                given = null;
                continues = false;
                noCompile = null;
                complete = false;
                directiveLine = 0;
                i = end;
            } else if (trimmed.startsWith("<!--")) {
                int start = i;
                StringBuilder text = new StringBuilder(trimmed.substring(4));
                while (!text.toString().contains("-->") && i + 1 < lines.length) text.append('\n').append(lines[++i]);
                String body = text.toString();
                int close = body.indexOf("-->");
                if (close < 0) {
                    problems.add(file + ":" + (start + 1) + ": HTML comment is never closed");
                    continue;
                }
                Matcher d = DIRECTIVE.matcher(body.substring(0, close).strip());
                if (!d.matches()) continue;   // an ordinary comment
                String where = file + ":" + (start + 1);
                if (directiveLine == 0) directiveLine = start + 1;
                String arg = d.group(2).strip();
                switch (d.group(1)) {
                    case "java-given" -> {
                        if (given != null) problems.add(where + ": a second java-given for the same block");
                        // the declarations start on the comment's line, right after "java-given:"
                        given = new Given(start + 1, Arrays.stream(givenText(body.substring(0, close)).split("\n", -1))
                                .map(String::strip).toList());
                    }
                    case "java-continues" -> continues = true;
                    case "java-complete" -> complete = true;
                    case "java-no-compile" -> {
                        if (arg.isEmpty()) problems.add(where + ": java-no-compile needs a reason (java-no-compile: why)");
                        noCompile = arg;
                    }
                    default -> problems.add(where + ": unknown directive " + d.group(1)
                            + " (known: java-given, java-continues, java-no-compile, java-complete)");
                }
            } else if (!trimmed.isEmpty() && directiveLine != 0) {
                problems.add(file + ":" + directiveLine + ": java directive not followed by a ```java block");
                given = null;
                continues = false;
                noCompile = null;
                complete = false;
                directiveLine = 0;
            }
        }
        if (directiveLine != 0) problems.add(file + ":" + directiveLine + ": java directive not followed by a ```java block");
        return new Parsed(blocks, problems);
    }

    /** The declarations of a java-given comment, keeping its line breaks so lines map back to the markdown. */
    private static String givenText(String comment) {
        String s = comment.strip();
        s = s.substring("java-given".length());
        s = s.stripLeading();
        return s.startsWith(":") ? s.substring(1) : s;
    }

    /** Whether {@code line} closes a fence opened by {@code marker} (the same character, at least as many). */
    static boolean closes(String line, String marker) {
        String t = line.strip();
        if (t.length() < marker.length()) return false;
        for (int k = 0; k < t.length(); k++) if (t.charAt(k) != marker.charAt(0)) return false;
        return true;
    }

    private static String unindent(String line, int indent) {
        int k = 0;
        while (k < indent && k < line.length() && line.charAt(k) == ' ') k++;
        return line.substring(k);
    }

    /**
     * The compilation units of {@code blocks} (in file order): one per block that compiles, with its
     * {@code java-continues} followers. Continuation mistakes go to {@code problems}.
     */
    static List<Unit> wrap(List<Block> blocks, List<String> problems) {
        List<List<Block>> groups = new ArrayList<>();
        Block previous = null;
        for (Block b : blocks) {
            boolean sameFile = previous != null && previous.file().equals(b.file());
            if (b.continues() && !sameFile) {
                problems.add(b.where() + ": java-continues but no earlier java block in this file");
            } else if (b.continues() && (previous.noCompile() != null || b.noCompile() != null)) {
                problems.add(b.where() + ": java-continues cannot join a java-no-compile block");
            } else if (b.continues()) {
                groups.getLast().add(b);
            } else if (b.noCompile() == null) {
                groups.add(new ArrayList<>(List.of(b)));
            }
            previous = b;
        }
        List<Unit> units = new ArrayList<>();
        for (List<Block> g : groups) units.add(unit(g));
        return units;
    }

    /** The generated class of one block and its continuations. */
    static Unit unit(List<Block> group) {
        Block first = group.getFirst();
        String className = "Doc_" + first.file().replaceAll("[^A-Za-z0-9]", "_") + "_L" + first.line();
        Source imports = new Source(), members = new Source(), body = new Source();
        if (!first.complete()) for (String i : DEFAULT_IMPORTS) imports.add("import " + i + ";", 0);
        for (Block b : group) {
            if (b.given() != null) {
                for (int k = 0; k < b.given().lines().size(); k++) members.add(b.given().lines().get(k), b.given().line() + k);
            }
            Snippet.split(b, imports, members, body);
        }
        Source all = new Source();
        all.addAll(imports);
        all.add("@SuppressWarnings(\"all\")", 0);
        all.add("class " + className + " {", 0);
        all.addAll(members);
        all.add("void snippet() throws Throwable {", 0);
        all.addAll(body);
        all.add("}", 0);
        all.add("}", 0);
        return new Unit(first, className, all.text(), all.origins());
    }

    /** Lines of generated source with the markdown line of each. */
    static final class Source {
        private final StringBuilder text = new StringBuilder();
        private final List<Integer> origin = new ArrayList<>();

        void add(String line, int mdLine) {
            text.append(line).append('\n');
            origin.add(mdLine);
        }

        void addAll(Source other) {
            text.append(other.text);
            origin.addAll(other.origin);
        }

        String text() { return text.toString(); }

        int[] origins() { return origin.stream().mapToInt(Integer::intValue).toArray(); }
    }

    /**
     * Type-checks {@code units} in one javac task (attribution and flow analysis, no class files) against
     * {@code classPath}, and returns one message per error: the markdown file and line, the compiler's message and the
     * offending line.
     */
    static List<String> compile(List<Unit> units, String classPath) {
        if (units.isEmpty()) return List.of();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<UnitFile> files = units.stream().map(UnitFile::new).toList();
        List<String> options = List.of("-proc:none", "-Xlint:none", "-Xmaxerrs", "10000",
                "--add-modules", "jdk.incubator.vector", "-classpath", classPath);
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics, options, null, files);
            task.analyze();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            if (!(d.getSource() instanceof UnitFile f)) {
                errors.add("javac: " + d.getMessage(Locale.ROOT));
                continue;
            }
            errors.add(describe(f.unit, (int) d.getLineNumber(), d.getMessage(Locale.ROOT)));
        }
        return errors;
    }

    private static String describe(Unit unit, int generatedLine, String message) {
        Block b = unit.block();
        String[] src = unit.source().split("\n", -1);
        boolean known = generatedLine >= 1 && generatedLine <= unit.origin().length;
        int mdLine = known ? unit.origin()[generatedLine - 1] : 0;
        String code = known ? src[generatedLine - 1].strip() : "";
        String where = mdLine > 0 ? b.file() + ":" + mdLine : b.where() + " (generated code of the block)";
        return where + ": " + message.replace("\n", "\n    ") + (code.isEmpty() ? "" : "\n    | " + code)
                + "\n    (java block at " + b.where() + ")";
    }

    /** A generated unit as an in-memory source file. */
    private static final class UnitFile extends SimpleJavaFileObject {
        final Unit unit;

        UnitFile(Unit unit) {
            super(URI.create("string:///" + unit.className() + ".java"), Kind.SOURCE);
            this.unit = unit;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) { return unit.source(); }
    }
}
