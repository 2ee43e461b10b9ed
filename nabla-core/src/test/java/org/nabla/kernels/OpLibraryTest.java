package org.nabla.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientChecker;
import org.nabla.autodiff.GradientTape;
import org.nabla.autodiff.Gradients;
import org.nabla.device.CpuDevice;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;
import org.nabla.runtime.SerialExecutor;

/**
 * The one registration interface: op libraries on the class path (this module's test libraries, listed in
 * src/test/resources/META-INF/services/org.nabla.kernels.OpLibrary) contribute ops, gradients and kernels that every
 * part of Nabla sees, whatever order the libraries load in.
 */
class OpLibraryTest {
    private static final Tensor X = Tensor.wrap(DType.FLOAT64, Shape.of(3), new double[] {-1.5, 0.5, 2});

    private static Tensor cube(Tensor x) { return Ops.run(OpRegistry.get("UserCube"), Attrs.EMPTY, x); }

    @Test
    void aUserLibraryContributesAnOpItsKernelAndItsGradient() {
        OpDef op = OpRegistry.get("UserCube");
        assertSame(CubeLibrary.CubeOps.CUBE, op);
        assertTrue(KernelRegistry.global().has(op, CpuDevice.TYPE, DType.FLOAT64));
        assertTrue(GradientRegistry.global().has(op));
        assertClose(new double[] {-3.375, 0.125, 8}, cube(X), DType.FLOAT64, new int[] {3}, 0);

        double[] expected = {6.75, 0.75, 12}; // 3 x^2
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(X);
            assertClose(expected, tape.gradient(Ops.sum(cube(X)), X), DType.FLOAT64, new int[] {3}, 1e-12);
        }
        Graph g = new Graph();
        Tensor x, dx;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT64, Shape.of(-1));
            dx = Gradients.gradients(List.of(Ops.sum(cube(x))), List.of(x)).get(0);
        }
        List<Tensor> out = SerialExecutor.run(g, Map.of(g.outputOf(x), X), List.of(g.outputOf(dx)), List.of());
        assertClose(expected, out.get(0), DType.FLOAT64, new int[] {3}, 1e-12);

        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("UserCube", t -> new Tensor[] {cube(t[0])}, mode, X).assertOk(1e-6);
        }
    }

    @Test
    void aLibraryMayUseTheOpsOfALibraryLoadedAfterIt() {
        // The case under test: Pow4Library's gradient looks UserCube up by name while it registers.
        List<String> order = ServiceLoader.load(OpLibrary.class).stream().map(p -> p.type().getName()).toList();
        assertTrue(order.indexOf(Pow4Library.class.getName()) < order.indexOf(CubeLibrary.class.getName()),
                order.toString());
        OpDef pow4 = OpRegistry.get("UserPow4");
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(X);
            Tensor dx = tape.gradient(Ops.sum(Ops.run(pow4, Attrs.EMPTY, X)), X);
            assertClose(new double[] {-13.5, 0.5, 32}, dx, DType.FLOAT64, new int[] {3}, 1e-12); // 4 x^3
        }
        GradientChecker.check("UserPow4", t -> new Tensor[] {Ops.run(pow4, Attrs.EMPTY, t[0])},
                GradientChecker.Mode.GRAPH, X).assertOk(1e-6);
    }

    @Test
    void everyLibraryIsLoadedOnceAndTheCoreLibraryIsAmongThem() {
        List<String> names = OpLibraries.libraries().stream().map(l -> l.getClass().getSimpleName()).toList();
        assertTrue(names.containsAll(List.of("CoreLibrary", "CubeLibrary", "Pow4Library")), names.toString());
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
        assertSame(OpLibraries.libraries(), OpLibraries.libraries());
    }

    /**
     * The child process: threads race to be the first to ask each registry for something. Loading must happen once
     * (a second load would register every kernel twice and fail) and every thread must see the complete result.
     */
    public static void main(String[] args) throws Exception {
        List<Callable<Boolean>> askers = List.of(
                () -> OpRegistry.get("UserPow4") != null,
                () -> OpRegistry.all().size() > 100,
                () -> GradientRegistry.global().has(Pow4Library.POW4),
                () -> KernelRegistry.global().has(CubeLibrary.CubeOps.CUBE, CpuDevice.TYPE, DType.FLOAT64),
                () -> Ops.add(Ops.constant(1.0), Ops.constant(2.0)).doubleValue() == 3,
                () -> GradientRegistry.global().has(MathOps.TANH));
        List<Boolean> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(askers.size() * 2)) {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) for (Callable<Boolean> a : askers) answers.add(pool.submit(a));
            for (Future<Boolean> f : answers) results.add(f.get());
        }
        System.out.println("answers " + results);
    }

    @Test
    void concurrentFirstUsesLoadTheLibrariesOnceInAFreshJvm(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), OpLibraryTest.class.getName()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS); // a deadlock while loading would hang the child
        if (!exited) p.destroyForcibly().waitFor();
        String out = Files.readString(log);
        assertTrue(exited, "the child did not finish in 60 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("answers " + Collections.nCopies(12, true)), out);
    }
}
