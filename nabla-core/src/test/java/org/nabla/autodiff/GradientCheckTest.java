package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientFunction;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;

/**
 * Every differentiable op's gradient against float64 central differences, eagerly (tape) and in a graph
 * (gradients() run by the SerialExecutor), first and second order; plus the completeness guard of the registry.
 */
class GradientCheckTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<GradientRecipes.Case> cases() {
        return GradientRecipes.all().values().stream().flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstOrderEagerAndGraph(GradientRecipes.Case c) {
        for (GradientChecker.Mode mode : List.of(GradientChecker.Mode.EAGER, GradientChecker.Mode.GRAPH)) {
            GradientChecker.check(c.label(), c.f(), mode, c.inputs()).assertOk(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondOrderEagerAndGraph(GradientRecipes.Case c) {
        if (!c.secondOrder()) return;
        for (GradientChecker.Mode mode : List.of(GradientChecker.Mode.EAGER, GradientChecker.Mode.GRAPH)) {
            GradientChecker.checkSecondOrder(c.label(), c.f(), mode, c.inputs()).assertOk(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstOrderInAGraphWithUnknownDimensions(GradientRecipes.Case c) {
        GradientChecker.check(c.label(), c.f(), GradientChecker.Mode.GRAPH_UNKNOWN_DIMS, c.inputs())
                .assertOk(TOLERANCE);
    }

    /** Known gaps, each with the reason; the list should be empty. */
    static final java.util.Map<String, String> KNOWN_GAPS = java.util.Map.of();

    @Test
    void everyOpHasAGradientOrIsMarkedNotDifferentiable() {
        List<String> missing = new ArrayList<>();
        for (OpDef op : OpRegistry.all()) {
            if (op.isDifferentiable() && !GradientRegistry.global().has(op) && !KNOWN_GAPS.containsKey(op.name())) {
                missing.add(op.name());
            }
        }
        assertEquals(List.of(), missing, "differentiable ops without a registered gradient (register one, or mark "
                + "the op .notDifferentiable())");
    }

    @Test
    void everyDifferentiableOpIsInTheCheckTable() {
        List<String> missing = new ArrayList<>();
        for (OpDef op : OpRegistry.all()) {
            if (op.isDifferentiable() && !GradientRecipes.all().containsKey(op.name())
                    && !GradientRecipes.COVERED_ELSEWHERE.containsKey(op.name()) && !KNOWN_GAPS.containsKey(op.name())) {
                missing.add(op.name());
            }
        }
        assertEquals(List.of(), missing, "differentiable ops without a row in GradientRecipes");
    }

    @Test
    void checkerReportsAWrongGradientNamingTheOpAndInput() {
        GradientRegistry gradients = GradientRegistry.global();
        GradientFunction core = gradients.find(MathOps.SIN);
        try {
            gradients.register(MathOps.SIN, (c, g) -> new Tensor[] {Ops.mul(g[0], c.input(0))}); // wrong on purpose
            GradientChecker.Report report = GradientChecker.check("Sin", x -> new Tensor[] {Ops.sin(x[0])},
                    GradientChecker.Mode.EAGER, GradientRecipes.r(3));
            assertTrue(!report.ok(TOLERANCE));
            AssertionError e = assertThrows(AssertionError.class, () -> report.assertOk(TOLERANCE));
            assertTrue(e.getMessage().contains("gradient check of Sin (EAGER)") && e.getMessage().contains("input 0"),
                    e.getMessage());
        } finally {
            gradients.register(MathOps.SIN, core);
        }
    }

    @Test
    void secondOrderCheckCatchesARuleThatIsNotDifferentiableAgain() {
        GradientRegistry gradients = GradientRegistry.global();
        GradientFunction core = gradients.find(MathOps.TANH);
        try { // right first derivative, but its own derivative is cut by stopGradient
            gradients.register(MathOps.TANH, (c, g) -> new Tensor[] {Ops.mul(g[0], Ops.sub(1.0,
                    Ops.square(Ops.stopGradient(c.output(0)))))});
            Tensor x = GradientRecipes.r(3);
            GradientChecker.check("Tanh", t -> new Tensor[] {Ops.tanh(t[0])}, GradientChecker.Mode.GRAPH, x)
                    .assertOk(TOLERANCE);
            GradientChecker.Report second = GradientChecker.checkSecondOrder("Tanh",
                    t -> new Tensor[] {Ops.tanh(t[0])}, GradientChecker.Mode.EAGER, x);
            assertTrue(!second.ok(TOLERANCE), second.toString());
        } finally {
            gradients.register(MathOps.TANH, core);
        }
    }
}
