package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Code that cannot be converted fails with the source file and line of the statement, and says why. */
class ConversionErrorsTest {
    static int calls;
    static final List<String> LOG = new ArrayList<>();

    static Tensor sideEffectInBranch(Tensor x) {
        if (Ops.sum(x).greater(0f).booleanValue()) {
            calls++;                                                   // line 21
            return x;
        }
        return x.neg();
    }

    static Tensor collectionInLoop(Tensor n) {
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            LOG.add("step");                                           // line 30
            i = i.add(1);
        }
        return i;
    }

    static Tensor tryAroundCondition(Tensor x) {
        try {
            if (Ops.sum(x).greater(0f).booleanValue()) return x;      // line 38
            return x.neg();
        } catch (RuntimeException e) {
            return x;
        }
    }

    static Tensor javaLocalDependsOnTensor(Tensor x) {
        int k = 1;
        if (Ops.sum(x).greater(0f).booleanValue()) k = 2;            // line 47
        return x.mul(k);
    }

    static Tensor intLoopVariable(Tensor n) {
        int steps = 0;
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {                            // line 54
            i = i.add(1);
            steps++;
        }
        return i.add(steps);
    }

    static Tensor returnInsideLoop(Tensor n) {
        Tensor i = Tensors.scalar(0);
        if (n.greater(0).booleanValue()) {
            while (i.less(n).booleanValue()) {
                if (i.greater(3).booleanValue()) return i;            // line 65; the if on line 63 may fall
                i = i.add(1); }
            i = i.mul(2); } return i;
    }

    static Tensor returnOnOnePath(Tensor x) {
        Tensor y = x;
        for (int k = 0; k < 2; k++) {
            if (Ops.sum(y).greater(0f).booleanValue()) return y;      // line 73
            y = y.add(1f);
        }
        return y;
    }

    static Tensor andWithElse(Tensor x) {
        Tensor y;
        if (Ops.sum(x).greater(0f).booleanValue() && (x.less(3f).booleanValue() || x.less(0f).booleanValue())) y = x;
        else y = x.neg();    // a && (b || c): the right operand is itself a chain
        return y;
    }

    static Tensor ternary(Tensor x) {
        return x.mul(Ops.sum(x).greater(0f).booleanValue() ? 2f : 3f);  // line 87: a float, not a Tensor
    }

    static Tensor dtypeDiffers(Tensor x) {
        Tensor y = x;
        if (Ops.sum(x).greater(0f).booleanValue()) y = Ops.cast(x, org.nabla.DType.FLOAT64);  // line 92
        return y;
    }

    static Tensor loopVarChangesDtype(Tensor n) {
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) i = Ops.cast(i.add(1), org.nabla.DType.INT64);  // line 98
        return i;
    }

    private static void assertFailsAt(UnaryTensorFunction fn, Tensor arg, int line, String... words) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> AutoGraph.unary(fn).apply(arg));
        ConversionException ce = assertInstanceOf(e);
        assertEquals("ConversionErrorsTest.java", ce.sourceFile());
        assertEquals(line, ce.line(), ce.getMessage());
        assertTrue(ce.getMessage().startsWith("ConversionErrorsTest.java:" + line + ": "), ce.getMessage());
        for (String w : words) assertTrue(ce.getMessage().contains(w), ce.getMessage());
    }

    private static ConversionException assertInstanceOf(RuntimeException e) {
        if (e instanceof ConversionException ce) return ce;
        throw new AssertionError("expected a ConversionException, got " + e, e);
    }

    @Test
    void sideEffectsOnJavaObjectsInABranch() {
        assertFailsAt(ConversionErrorsTest::sideEffectInBranch, Tensors.of(new float[] {1}), 20,
                "assigns the field", "ConversionErrorsTest.calls at ConversionErrorsTest.java:21");
        assertFailsAt(ConversionErrorsTest::collectionInLoop, Tensors.scalar(3), 29, "calls java.util.List.add");
    }

    @Test
    void tryCatchAroundATensorCondition() {
        assertFailsAt(ConversionErrorsTest::tryAroundCondition, Tensors.of(new float[] {1}), 38, "try/catch");
    }

    @Test
    void aJavaLocalThatDependsOnATensorCondition() {
        assertFailsAt(ConversionErrorsTest::javaLocalDependsOnTensor, Tensors.of(new float[] {1}), 47, "local 'k'",
                "(int)", "Integer 2", "Integer 1");
    }

    @Test
    void aLoopVariableThatIsNotATensor() {
        assertFailsAt(ConversionErrorsTest::intLoopVariable, Tensors.scalar(3), 54, "loop variable 'steps' (int",
                "is not a Tensor");
    }

    @Test
    void aReturnOnOnePathOfATensorIfThroughALoop() {
        assertFailsAt(ConversionErrorsTest::returnInsideLoop, Tensors.scalar(3), 63, "return on one path only",
                "(the return at line 65)");
    }

    @Test
    void breakingAJavaLoopOnATensorCondition() {
        assertFailsAt(ConversionErrorsTest::returnOnOnePath, Tensors.of(new float[] {1}), 73, "(at line 72)",
                "Java loop");
    }

    @Test
    void aChainAsTheRightOperandOfAndWithAnElse() {
        assertFailsAt(ConversionErrorsTest::andWithElse, Tensors.of(new float[] {1}), 81, "&& or ||",
                "Ops.logicalAnd");
    }

    @Test
    void conditionalExpressionOnATensorCondition() {
        assertFailsAt(ConversionErrorsTest::ternary, Tensors.of(new float[] {1}), 87, "c ? a : b");
    }

    @Test
    void aTensorLocalWhoseDtypeDiffersBetweenBranchesOrIterations() {
        assertFailsAt(ConversionErrorsTest::dtypeDiffers, Tensors.of(new float[] {1}), 92, "local 'y'",
                "different dtype", "float64");
        assertFailsAt(ConversionErrorsTest::loopVarChangesDtype, Tensors.scalar(3), 98, "local 'i'",
                "changes its dtype", "int64");
    }

    @Test
    void everythingRunsEagerlyAsWritten() {
        calls = 0;
        assertEquals(1f, AutoGraph.convertUnary(ConversionErrorsTest::sideEffectInBranch)
                .apply(Tensors.of(new float[] {1})).toFloatArray()[0]);
        assertEquals(1, calls, "the Java side effect ran eagerly");
        assertEquals(6, AutoGraph.convertUnary(ConversionErrorsTest::intLoopVariable).apply(Tensors.scalar(3))
                .intValue());
        assertEquals(4, AutoGraph.convertUnary(ConversionErrorsTest::returnInsideLoop).apply(Tensors.scalar(9))
                .intValue(), "not convertible, but eagerly it runs as written");
    }

    @Test
    void onlyLambdasAndMethodReferencesConvert() {
        UnaryTensorFunction notALambda = new UnaryTensorFunction() {
            @Override
            public Tensor apply(Tensor x) { return x; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoGraph.unary(notALambda));
        assertTrue(e.getMessage().contains("lambdas and method references"), e.getMessage());
    }

    static Tensor breakInDoWhile(Tensor n) {
        Tensor i = Tensors.scalar(0);
        do {
            i = i.add(1);
            if (i.greater(2).booleanValue()) break;                   // line 197
        } while (i.less(n).booleanValue());
        return i;
    }

    static Tensor floatSwitchExpression(Tensor x) {
        return x.mul(switch (Ops.sum(x).intValue()) {                // line 203
            case 0 -> 2f;
            default -> 3f;
        });
    }

    @Test
    void aBreakOnATensorConditionInsideADoWhile() {
        assertFailsAt(ConversionErrorsTest::breakInDoWhile, Tensors.scalar(5), 197, "do-while", "use a while loop");
        assertEquals(3, AutoGraph.convertUnary(ConversionErrorsTest::breakInDoWhile).apply(Tensors.scalar(5))
                .intValue(), "eagerly it runs as written");
    }

    @Test
    void aSwitchExpressionWhoseValueIsNotATensor() {
        assertFailsAt(ConversionErrorsTest::floatSwitchExpression, Tensors.of(new int[] {1}), 203,
                "switch expression", "not");
    }
}
