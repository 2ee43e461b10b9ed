package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.OpException;

/** Ops.checkNumerics and the check-numerics mode (Debugging), eager and traced. */
class CheckNumericsTest {
    @AfterEach
    void off() { Debugging.disableCheckNumerics(); }

    @Test
    void checkNumericsPassesFiniteTensorsAndNamesNaNOrInf() {
        Tensor ok = Tensors.of(new float[] {1, -2}, 2);
        assertArrayEquals(ok.toFloatArray(), Ops.checkNumerics(ok, "weights").toFloatArray());
        String nan = assertThrows(OpException.class, () -> Ops.checkNumerics(Tensors.of(new float[] {1, Float.NaN}, 2),
                "weights")).getMessage();
        assertTrue(nan.contains("CheckNumerics: weights : Tensor had NaN values (float32(2,): 1 NaN, 0 Inf"), nan);
        String inf = assertThrows(OpException.class, () -> Ops.checkNumerics(Tensors.of(new double[] {
                Double.NEGATIVE_INFINITY}, 1), "loss")).getMessage();
        assertTrue(inf.contains("loss : Tensor had Inf values"), inf);
        // integers cannot hold NaN: they pass
        Ops.checkNumerics(Tensor.wrap(DType.INT32, Shape.of(1), new int[] {3}), "ids");
    }

    @Test
    void theGradientIsCheckedToo() {
        Tensor x = Tensors.of(new double[] {0.0, 1.0}, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Ops.sqrt(Ops.checkNumerics(x, "x"));   // d sqrt / dx at 0 is +inf
            String m = assertThrows(OpException.class, () -> tape.gradient(Ops.sum(y), x)).getMessage();
            assertTrue(m.contains("Not a number (NaN) or infinity (Inf) values detected in gradient. x"), m);
        }
    }

    @Test
    void theModeNamesTheFirstEagerOpThatMadeANaN() {
        Tensor x = Tensors.of(new float[] {4, -1}, 2);
        assertFalse(Ops.sqrt(x).toFloatArray()[0] != 2f);   // off: NaN flows on
        Debugging.enableCheckNumerics();
        assertTrue(Debugging.isCheckNumericsEnabled());
        String m = assertThrows(OpException.class, () -> Ops.sqrt(x)).getMessage();
        assertTrue(m.startsWith("Sqrt: check numerics: the eager op produced NaN in output 0 (float32(2,): 1 NaN"), m);
        assertTrue(m.contains("input 0: float32(2,): 0 NaN, 0 Inf, finite min -1.00000 max 4.00000"), m);
    }

    @Test
    void theModeNamesTheGraphNode() {
        TracedFunction f = TracedFunction.of(in -> new Tensor[] {Ops.log(Ops.sub(in[0], 1f))});
        Tensor x = Tensors.of(new float[] {2, 1}, 2);
        f.call(x);   // log(0) = -inf, unchecked
        Debugging.enableCheckNumerics();
        String m = assertThrows(RuntimeException.class, () -> f.call(x)).getMessage();
        // the optimizer fused sub and log into one node, which keeps the name of its last op
        assertTrue(m.contains("check numerics: node 'Log' produced Inf in output 0"), m);
    }
}
