package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TensorAssert;
import org.nabla.Tensors;
import org.nabla.ops.FusedOps.Fn;

/** FusedElementwise against the unfused ops it stands for and a float64 reference. */
class FusedOpsTest {
    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 2);
        return Tensors.of(v, shape);
    }

    private static int[] prog(Object... fnsAndArgs) {
        int[] p = new int[fnsAndArgs.length];
        for (int i = 0; i < p.length; i += 2) {
            p[i] = ((Fn) fnsAndArgs[i]).code;
            p[i + 1] = (Integer) fnsAndArgs[i + 1];
        }
        return p;
    }

    @Test
    void matchesUnfusedOpsAcrossBlockAndChunkBoundaries() {
        Random r = new Random(1);
        // relu((x * y + b) - exp(-x)) over every size that exercises the vector loop, its tail and the blocks.
        for (int n : new int[] {0, 1, 7, 33, 1023, 1024, 1025, 3000, 70_001}) {
            Tensor x = random(r, n), y = random(r, n), b = random(r, 1);
            int[] program = prog(Fn.LOAD, 0, Fn.LOAD, 1, Fn.MUL, 0, Fn.LOAD, 2, Fn.ADD, 0, Fn.LOAD, 0, Fn.NEG, 0,
                    Fn.EXP, 0, Fn.SUB, 0, Fn.RELU, 0);
            Tensor fused = fused(program, new double[0], x, y, b);
            Tensor unfused = Ops.relu(Ops.sub(Ops.add(Ops.mul(x, y), b), Ops.exp(Ops.neg(x))));
            assertEquals(unfused.spec(), fused.spec());
            float[] xs = x.toFloatArray(), ys = y.toFloatArray();
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = Math.max(0, (double) xs[i] * ys[i] + b.floatValue() - Math.exp(-xs[i]));
            }
            TensorAssert.assertClose(unfused.toDoubleArray(), fused.toDoubleArray(), 1e-5);
            TensorAssert.assertClose(ref, fused.toDoubleArray(), 1e-5);
        }
    }

    @Test
    void readsViewsFromTheirOffset() {
        // Split's outputs share one array: the second half starts at offset 16. A (3, 16) + (16,) + (16,) chain must
        // read each half (full, cyclic and scalar inputs alike), not the shared array from its start.
        float[] v = new float[32];
        for (int i = 0; i < 32; i++) v[i] = i < 16 ? 0.5f : 100 + i;
        Tensor[] halves = Ops.split(Tensors.of(v, 32), 2, 0);
        Tensor[] pair = Ops.split(Tensors.of(new float[] {7, 9}, 2), 2, 0);
        Tensor x = random(new Random(3), 3, 16);
        Tensor[] rows = Ops.split(Ops.concat(0, x, x), 2, 0);
        Tensor fused = fused(prog(Fn.LOAD, 0, Fn.LOAD, 1, Fn.ADD, 0, Fn.LOAD, 2, Fn.ADD, 0, Fn.LOAD, 3, Fn.MUL, 0),
                new double[0], rows[1], halves[0], halves[1], Ops.reshape(pair[1]));
        float[] xs = x.toFloatArray();
        double[] ref = new double[48];
        for (int i = 0; i < 48; i++) ref[i] = ((double) xs[i] + 0.5 + (100 + 16 + i % 16)) * 9;
        TensorAssert.assertClose(ref, fused.toDoubleArray(), 1e-5);
    }

    @Test
    void everyInstructionMatchesItsOp() {
        Random r = new Random(2);
        Tensor x = random(r, 5, 301), y = random(r, 5, 301);
        Tensor pos = Ops.add(Ops.abs(x), 0.5f);
        for (Fn f : Fn.values()) {
            if (f == Fn.LOAD) continue;
            Tensor in = f == Fn.LOG || f == Fn.SQRT || f == Fn.RSQRT || f == Fn.LOG1P ? pos : x;
            Tensor expected, fused;
            if (f.arity == 1) {
                double[] params = f == Fn.LEAKY_RELU ? new double[] {0.3} : new double[0];
                Attrs attrs = f == Fn.LEAKY_RELU ? Attrs.of("alpha", 0.3) : Attrs.EMPTY;
                expected = Ops.run(OpRegistry.get(f.opName), attrs, in);
                fused = fused(prog(Fn.LOAD, 0, f, 0), params, in);
            } else {
                expected = Ops.run(OpRegistry.get(f.opName), Attrs.EMPTY, in, y);
                fused = fused(prog(Fn.LOAD, 0, Fn.LOAD, 1, f, 0), new double[0], in, y);
            }
            TensorAssert.assertClose(expected.toDoubleArray(), fused.toDoubleArray(), 2e-6);
        }
    }

    @Test
    void inputsBroadcastAsTheOpsDid() {
        Random r = new Random(3);
        Tensor x = random(r, 4, 3, 5);
        Tensor bias = random(r, 5);           // a repeated trailing block
        Tensor rowBias = random(r, 1, 3, 5);  // also a trailing block, with a leading 1
        Tensor column = random(r, 4, 1, 1);   // each element repeated over the trailing axes
        Tensor scalar = Tensors.scalar(2f);
        Tensor rowStat = random(r, 4, 3, 1);  // repeated too: a per-row statistic
        Tensor middle = random(r, 1, 3, 1);   // a general broadcast
        int[] program = prog(Fn.LOAD, 0, Fn.LOAD, 1, Fn.ADD, 0, Fn.LOAD, 2, Fn.MUL, 0, Fn.LOAD, 3, Fn.SUB, 0,
                Fn.LOAD, 4, Fn.DIV, 0, Fn.LOAD, 5, Fn.MUL, 0, Fn.LOAD, 6, Fn.ADD, 0);
        Tensor fused = fused(program, new double[0], x, bias, rowBias, column, scalar, rowStat, middle);
        Tensor unfused = Ops.add(Ops.mul(Ops.div(Ops.sub(Ops.mul(Ops.add(x, bias), rowBias), column), scalar),
                rowStat), middle);
        assertEquals(Shape.of(4, 3, 5), fused.shape());
        TensorAssert.assertClose(unfused.toDoubleArray(), fused.toDoubleArray(), 1e-6);
        // The output takes the broadcast shape even when no input has it.
        Tensor outer = fused(prog(Fn.LOAD, 0, Fn.LOAD, 1, Fn.ADD, 0), new double[0], random(r, 3, 1),
                bias);
        assertEquals(Shape.of(3, 5), outer.shape());
        // A lone LOAD copies.
        Tensor copy = fused(prog(Fn.LOAD, 0), new double[0], x);
        assertArrayEquals(x.toFloatArray(), copy.toFloatArray());
        // Non-contiguous inputs arrive dense.
        Tensor t = Ops.transpose(random(r, 3, 4), 1, 0);
        assertArrayEquals(Ops.neg(t).toFloatArray(), fused(prog(Fn.LOAD, 0, Fn.NEG, 0),
                new double[0], t).toFloatArray());
    }

    @Test
    void badProgramsAndInputsFailClearly() {
        Tensor x = Tensors.of(new float[] {1, 2});
        assertMessage("program must be a non-empty list of (opcode, argument) pairs, got 3 ints",
                () -> fused(new int[] {0, 0, 1}, new double[0], x));
        assertMessage("instruction 1: unknown opcode 99",
                () -> fused(new int[] {0, 0, 99, 0}, new double[0], x));
        assertMessage("instruction 0: LOAD 1 but there are 1 inputs",
                () -> fused(prog(Fn.LOAD, 1), new double[0], x));
        assertMessage("instruction 1: ADD needs 2 values on the stack, has 1",
                () -> fused(prog(Fn.LOAD, 0, Fn.ADD, 0), new double[0], x));
        assertMessage("program must leave exactly one value, leaves 2",
                () -> fused(prog(Fn.LOAD, 0, Fn.LOAD, 0), new double[0], x));
        assertMessage("LEAKY_RELU reads params[0] but there are 0 params",
                () -> fused(prog(Fn.LOAD, 0, Fn.LEAKY_RELU, 0), new double[0], x));
        assertMessage("input 0 must be float32, got float64(2,)",
                () -> fused(prog(Fn.LOAD, 0), new double[0], Tensors.of(new double[] {1, 2})));
        assertMessage("cannot be broadcast", () -> fused(prog(Fn.LOAD, 0, Fn.LOAD, 1, Fn.ADD, 0),
                new double[0], x, Tensors.of(new float[] {1, 2, 3})));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        OpException e = assertThrows(OpException.class, call);
        assertTrue(e.getMessage().startsWith("FusedElementwise") && e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void isNotDifferentiableAndOpcodesAreStable() {
        assertFalse(FusedOps.FUSED_ELEMENTWISE.isDifferentiable());
        assertEquals(0, Fn.LOAD.code);
        assertEquals(20, Fn.ADD.code);
        assertEquals(Fn.MUL, Fn.forOp("Mul"));
        assertEquals(null, Fn.forOp("MatMul"));
        for (Fn f : Fn.values()) assertEquals(f, Fn.ofCode(f.code));
        assertEquals(DType.FLOAT32, fused(prog(Fn.LOAD, 0), new double[0], Tensors.scalar(1f)).dtype());
    }

    /** Runs the internal FusedElementwise op (made by graph optimization, so not on Ops). */
    private static Tensor fused(int[] program, double[] params, Tensor... inputs) {
        return Ops.run(FusedOps.FUSED_ELEMENTWISE, Attrs.of("program", program, "params", params), inputs);
    }
}
