package org.nabla.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library modules work on the module path, as a modular application uses them: {@code requires org.nabla.nn;}
 * compiles and runs (a tensor add, a gradient, a Dense layer; a saved model through ONNX and back) with no
 * {@code --add-modules} flag; every package is exported unless it is named internal here; and each module's
 * {@code provides} match its META-INF/services files (which class-path users read). The rest of the suite runs on
 * the class path (see Surefire's useModulePath in the parent pom).
 */
class ModulePathTest {
    /** Library module -> its folder (or jar name prefix) in the build. */
    private static final Map<String, String> LIBRARIES = Map.of("org.nabla.core", "nabla-core",
            "org.nabla.data", "nabla-data", "org.nabla.nn", "nabla-nn", "org.nabla.onnx", "nabla-onnx",
            "org.nabla.autograph", "nabla-autograph");

    /** Packages deliberately not exported to everyone (see nabla-core's module-info). */
    private static final Set<String> INTERNAL = Set.of("org.nabla.storage", "org.nabla.library",
            "org.nabla.kernels.cpu");

    /** The class-path entry (classes folder or jar) of a Nabla module, or of a third-party jar by its name. */
    private static Path entry(String artifact) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            String name = p.getFileName().toString();
            boolean classes = name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null
                    && p.getParent().getParent().getFileName().toString().equals(artifact);
            if (classes || (name.startsWith(artifact + "-") && name.endsWith(".jar")
                    && Character.isDigit(name.charAt(artifact.length() + 1)))) return p;
        }
        throw new AssertionError(artifact + " is not on the test class path: " + System.getProperty("java.class.path"));
    }

    private static ModuleReference module(String name) {
        Optional<ModuleReference> m = ModuleFinder.of(entry(LIBRARIES.get(name))).find(name);
        assertTrue(m.isPresent(), LIBRARIES.get(name) + " holds no module named " + name);
        assertTrue(!m.get().descriptor().isAutomatic(), name + " is an automatic module: its module-info is missing");
        return m.get();
    }

    @Test
    void everyPackageIsExportedOrNamedInternal() {
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(LIBRARIES.keySet())) {
            ModuleDescriptor d = module(name).descriptor();
            Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
            for (String p : new TreeSet<>(d.packages())) {
                if (!exported.contains(p) && !INTERNAL.contains(p)) {
                    problems.add(name + ": package " + p + " is not exported (add `exports " + p + ";` to its "
                            + "module-info.java, or name it in ModulePathTest.INTERNAL when nothing outside needs it)");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void providesMatchTheServiceFiles() throws IOException {
        for (String name : new TreeSet<>(LIBRARIES.keySet())) {
            ModuleReference ref = module(name);
            Map<String, List<String>> files = new TreeMap<>();
            try (ModuleReader reader = ref.open()) {
                for (String r : reader.list().filter(r -> r.startsWith("META-INF/services/") && !r.endsWith("/"))
                        .toList()) {
                    try (InputStream in = reader.open(r).orElseThrow()) {
                        files.put(r.substring("META-INF/services/".length()), new String(in.readAllBytes(),
                                StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("#.*", "").strip())
                                .filter(l -> !l.isEmpty()).toList());
                    }
                }
            }
            Map<String, List<String>> provides = new TreeMap<>();
            for (ModuleDescriptor.Provides p : ref.descriptor().provides()) {
                // a service file names a nested type by its binary name (OpRegistry$Loader)
                provides.put(binaryName(p.service()), p.providers());
            }
            assertEquals(files, provides, name + ": module-info's provides and META-INF/services differ");
        }
    }

    private static String binaryName(String service) {
        try {
            return Class.forName(service.replaceAll("\\.([A-Z]\\w*)\\.([A-Z])", ".$1\\$$2")).getName();
        } catch (ClassNotFoundException e) {
            return service;
        }
    }

    @Test
    void onnxResolvesWithProtobuf() {
        ModuleFinder finder = ModuleFinder.of(entry("nabla-core"), entry("nabla-data"), entry("nabla-nn"),
                entry("nabla-onnx"), entry("protobuf-java"));
        Configuration c = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
                Set.of("org.nabla.onnx"));
        assertNotNull(c.findModule("com.google.protobuf").orElse(null));
    }

    @Test
    void aModularProgramCompilesAndRuns(@TempDir Path tmp) throws Exception {
        String output = compileAndRun(tmp, "requires org.nabla.core; requires org.nabla.nn;", """
                import org.nabla.*;
                import org.nabla.autodiff.GradientTape;
                import org.nabla.nn.layers.Dense;

                public class Main {
                    public static void main(String[] args) {
                        Tensor sum = Tensors.of(new float[] {1, 2}).add(Tensors.of(new float[] {3, 4}));
                        Variable v = Variable.of(new float[] {1, 2});
                        Tensor dy;
                        try (GradientTape tape = GradientTape.start()) {
                            dy = tape.gradient(Ops.sum(Ops.square(v.read())), v);
                        }
                        Dense dense = new Dense(3);
                        Tensor y = dense.call(Ops.ones(DType.FLOAT32, 2, 4));
                        System.out.println("sum " + java.util.Arrays.toString((float[]) sum.toArray()));
                        System.out.println("grad " + java.util.Arrays.toString((float[]) dy.toArray()));
                        System.out.println("dense " + y.shape());
                        System.out.println("module " + Tensor.class.getModule().getName());
                    }
                }
                """, entry("nabla-core"), entry("nabla-data"), entry("nabla-nn"));
        assertTrue(output.contains("sum [4.0, 6.0]"), output);
        assertTrue(output.contains("grad [2.0, 4.0]"), output);
        assertTrue(output.contains("dense (2, 3)"), output);
        assertTrue(output.contains("module org.nabla.core"), output);
    }

    /** A saved model's round trip through ONNX: protobuf reads the exported org.nabla.onnx.proto messages. */
    @Test
    void onnxExportAndImportRunOnTheModulePath(@TempDir Path tmp) throws Exception {
        String output = compileAndRun(tmp, "requires org.nabla.nn; requires org.nabla.onnx;", """
                import java.nio.file.Files;
                import java.nio.file.Path;
                import org.nabla.*;
                import org.nabla.nn.Sequential;
                import org.nabla.nn.layers.Dense;
                import org.nabla.nn.saving.SavedModel;
                import org.nabla.onnx.OnnxExporter;
                import org.nabla.onnx.OnnxImporter;
                import org.nabla.onnx.OnnxModel;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        Sequential model = new Sequential(new Dense(2));
                        model.input(3);
                        Path dir = Files.createTempDirectory("app").resolve("model");
                        model.save(dir);
                        Path onnx = dir.resolveSibling("model.onnx");
                        try (SavedModel s = SavedModel.load(dir)) {
                            OnnxExporter.export(s, onnx);
                        }
                        Tensor x = Ops.ones(DType.FLOAT32, 4, 3);
                        try (OnnxModel m = OnnxImporter.load(onnx)) {
                            Tensor y = m.run(x)[0];
                            System.out.println("onnx " + y.shape() + " equal " + java.util.Arrays.equals(
                                    y.toFloatArray(), model.predict(x).toFloatArray()));
                        }
                    }
                }
                """, entry("nabla-core"), entry("nabla-data"), entry("nabla-nn"), entry("nabla-onnx"),
                entry("protobuf-java"));
        assertTrue(output.contains("onnx (4, 2) equal true"), output);
    }

    /**
     * AutoGraph converts a method of a named module given that module's Lookup (a hidden nestmate needs one), and
     * the converted loop runs as one While node.
     */
    @Test
    void autoGraphConvertsAMethodOfANamedModule(@TempDir Path tmp) throws Exception {
        String output = compileAndRun(tmp, "requires org.nabla.autograph;", """
                import java.lang.invoke.MethodHandles;
                import org.nabla.*;
                import org.nabla.autograph.AutoGraph;
                import org.nabla.ops.TensorSpec;

                public class Main {
                    private static final float STEP = 0.5f;

                    static Tensor halve(Tensor x) {
                        Tensor i = Tensors.scalar(0f);
                        while (Ops.sum(x).greater(1f).booleanValue()) {
                            x = x.mul(STEP);
                            i = i.add(1f);
                        }
                        return x.add(i);
                    }

                    public static void main(String[] args) {
                        TracedFunction f = AutoGraph.unary(MethodHandles.lookup(), Main::halve);
                        Tensor y = f.apply(Tensors.of(new float[] {8f, 4f}));
                        boolean loop = f.graph(TensorSpec.of(DType.FLOAT32, Shape.of(2))).graph().nodes().stream()
                                .anyMatch(n -> n.op().name().equals("While"));
                        System.out.println("autograph " + java.util.Arrays.toString(y.toFloatArray()) + " while " + loop);
                    }
                }
                """, entry("nabla-core"), entry("nabla-autograph"));
        assertTrue(output.contains("autograph [4.5, 4.25] while true"), output);
    }

    /**
     * Compiles module {@code app} ({@code requires}, and {@code main} as class app.Main) against {@code modulePath}
     * and runs it on the module path with no {@code --add-modules}: org.nabla.core requires jdk.incubator.vector, so
     * the module path brings it. Returns the program's output; fails when compiling or running fails.
     */
    private static String compileAndRun(Path tmp, String requires, String main, Path... modulePath) throws Exception {
        Path src = tmp.resolve("src/app");
        Files.createDirectories(src);
        Files.writeString(tmp.resolve("src/module-info.java"), "module app { " + requires + " }\n");
        Files.writeString(src.resolve("Main.java"), "package app;\n\n" + main);
        String path = java.util.Arrays.stream(modulePath).map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Path out = tmp.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: run the tests on a JDK");
        int rc = javac.run(null, null, null, "-proc:none", "-g", "--module-path", path, "-d", out.toString(),
                tmp.resolve("src/module-info.java").toString(), src.resolve("Main.java").toString());
        assertEquals(0, rc, "the modular program did not compile against " + path);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--module-path", out + File.pathSeparator + path,
                "-m", "app/app.Main").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the modular program did not finish: " + output);
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
