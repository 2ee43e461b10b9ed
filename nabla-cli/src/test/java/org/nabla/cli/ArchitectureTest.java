package org.nabla.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nabla.kernels.OpLibrary;

/**
 * The dependency rules of docs/design.md ("Dependency rules"), checked on the main classes of every module (this
 * module's test class path holds them all; test classes are not imported). Layers point one way: tensor -> ops ->
 * graph -> autodiff -> runtime -> devices and kernels, with nn, data, onnx, charts and the cli on top.
 */
class ArchitectureTest {
    private static final JavaClasses NABLA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.nabla");

    /**
     * Op libraries (the classes nested in them, and kernel classes only they use) register CPU kernels, so they may
     * use kernel helpers.
     */
    private static final DescribedPredicate<JavaClass> REGISTERS_KERNELS =
            DescribedPredicate.describe("register kernels (an OpLibrary, a class nested in one or used only by them)",
                    ArchitectureTest::inOpLibrary);

    /** nabla-core's sub-packages, each its own slice: org.nabla.graph, kernels vs kernels.cpu... */
    private static final SliceAssignment CORE_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            // The root package holds both the values every layer uses (Tensor, Shape, DType) and the front door
            // above them all (Ops, Function): it is checked by its own rule, not as one slice.
            return inCore(c) && !c.getPackageName().equals("org.nabla") ? SliceIdentifier.of(c.getPackageName())
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() { return "the packages of nabla-core"; }
    };

    @Test
    void modulesAndTopLevelPackagesHaveNoCycles() {
        slices().matching("org.nabla.(*)..").namingSlices("org.nabla.$1")
                .should().beFreeOfCycles()
                .because("layers point one way (ops -> graph -> autodiff -> runtime -> kernels, nn/data/onnx/cli on "
                        + "top); a cycle means neither side can change or be tested without the other")
                .check(NABLA);
    }

    @Test
    void corePackagesHaveNoCycles() {
        slices().assignedFrom(CORE_PACKAGES)
                .should().beFreeOfCycles()
                .because("inside nabla-core each package is a layer (org.nabla's Tensor and Ops sit above graph, "
                        + "runtime and kernels); a lower package reaching back up (kernels.cpu -> Tensor, graph -> "
                        + "Ops) ties the layers into one")
                .check(NABLA);
    }

    @Test
    void kernelsKnowNeitherTheRuntimeNorTheEagerContext() {
        noClasses().that().resideInAPackage("org.nabla.kernels..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nabla.runtime..", "org.nabla.eager..")
                .because("kernels are the bottom layer: they see the world through their kernel context, so the "
                        + "eager context, the session's executor and a future device module can all run them")
                .check(NABLA);
    }

    @Test
    void tensorValuesSitBelowGraphsRuntimeAndKernels() {
        noClasses().that().haveFullyQualifiedName("org.nabla.DType").or().haveFullyQualifiedName("org.nabla.Shape")
                .or().haveFullyQualifiedName("org.nabla.JavaArrays").or().haveFullyQualifiedName("org.nabla.TensorFormat")
                .or().haveFullyQualifiedName("org.nabla.TensorScope").or().haveFullyQualifiedName("org.nabla.BufferPool")
                .or().haveFullyQualifiedName("org.nabla.ResourceManager")
                .should().dependOnClassesThat().resideInAnyPackage("org.nabla.graph..", "org.nabla.runtime..",
                        "org.nabla.autodiff..", "org.nabla.kernels..", "org.nabla.eager..")
                .because("the value classes of the root package (dtypes, shapes, printing, scopes, variable storage) "
                        + "are what every layer builds on; only the front door (Ops, Function, Tensor's fluent "
                        + "methods) may reach up into graphs, the runtime and kernels")
                .check(NABLA);
    }

    @Test
    void modulesAboveTheCoreReachKernelsOnlyThroughOps() {
        noClasses().that().resideInAnyPackage("org.nabla.nn..", "org.nabla.onnx..", "org.nabla.cli..",
                        "org.nabla.data..", "org.nabla.charts..", "org.nabla.examples..")
                .and(DescribedPredicate.not(REGISTERS_KERNELS))
                // nabla bench measures the kernels themselves
                .and().resideOutsideOfPackage("org.nabla.cli.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.nabla.kernels..")
                .because("nn, data, onnx and the cli call ops, which run on any device; only a module's own kernel "
                        + "registrations (OpLibrary classes) and the kernel benchmarks may touch kernels")
                .check(NABLA);
    }

    @Test
    void onlyTheDistributedRuntimeAndTheModelServerUseGrpc() {
        noClasses().that().resideOutsideOfPackages("org.nabla.distributed..", "org.nabla.serving..")
                .should().dependOnClassesThat().resideInAPackage("io.grpc..")
                .because("only the transport of the distributed runtime and the model server (TensorFlow Serving's "
                        + "gRPC API) may import gRPC, so the library modules run without it on the class path")
                .check(NABLA);
    }

    @Test
    void onlyTheModelServerUsesJetty() {
        noClasses().that().resideOutsideOfPackage("org.nabla.serving..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .because("the HTTP server stays in nabla-serving, so the library modules run without it")
                .check(NABLA);
    }

    @Test
    void onlyChartsAndTheCliDrawOrReadImages() {
        noClasses().that().resideOutsideOfPackages("org.nabla.charts..", "org.nabla.cli..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.knowm.xchart..", "java.awt..", "javax.imageio..")
                .because("plotting and image files live in the optional nabla-charts module (and the cli that uses "
                        + "it), so the library modules pull in no AWT, ImageIO or XChart")
                .check(NABLA);
    }

    private static boolean inOpLibrary(JavaClass c) {
        if (nestedInOpLibrary(c)) return true;
        // a kernel class of its own file (LayerNormKernels) counts as part of the registration when only op
        // libraries use it
        var users = c.getDirectDependenciesToSelf().stream().map(d -> d.getOriginClass())
                .filter(o -> !o.equals(c) && !o.getEnclosingClass().map(c::equals).orElse(false)).toList();
        return !users.isEmpty() && users.stream().allMatch(ArchitectureTest::nestedInOpLibrary);
    }

    private static boolean nestedInOpLibrary(JavaClass c) {
        for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
            if (k.get().isAssignableTo(OpLibrary.class)) return true;
        }
        return false;
    }

    /** Whether the class file comes from nabla-core (its classes folder or jar, in the reactor or a repository). */
    private static boolean inCore(JavaClass c) {
        return c.getSource().map(s -> s.getUri().toString().contains("/nabla-core/")).orElse(false);
    }
}
