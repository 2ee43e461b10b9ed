package org.nabla.complex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.io.Npy;
import org.nabla.ops.OpException;

/**
 * complex64 and complex128 tensors: factories and read-back, files, and every data-movement op. The data-movement
 * oracle is the op on the real and imaginary parts separately (those real kernels have their own tests): moving
 * complex elements must move both parts together, eagerly and traced.
 */
class ComplexTensorTest {
    private static final float[] RE = {1, -2, 3.5f, 0, -0.25f, 6, 7, -8, 9, 10, 11, -12};
    private static final float[] IM = {0.5f, 2, -1, -0f, 4, -6, 0.75f, 8, -9, 1e-3f, 2, 3};

    private static Tensor z(DType dtype) {
        Tensor c = Tensors.complex(RE, IM, 3, 4);
        return dtype == DType.COMPLEX64 ? c : Ops.cast(c, dtype);
    }

    @Test
    void factoriesAndReadBack() {
        Tensor c = Tensors.complex(new float[] {1, 2}, new float[] {3, -4});
        assertEquals(DType.COMPLEX64, c.dtype());
        assertEquals("(2,)", c.shape().toString());
        assertArrayEquals(new double[] {1, 3, 2, -4}, c.toComplexArray());
        assertEquals(DType.COMPLEX128, Tensors.complex(new double[] {1}, new double[] {2}).dtype());
        Tensor i = Tensors.complexInterleaved(DType.COMPLEX128, new double[] {1, 2, 3, 4, 5, 6}, 3, 1);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, i.toComplexArray());
        assertArrayEquals(new double[][][] {{{1, 2}}, {{3, 4}}, {{5, 6}}}, (double[][][]) i.toArray(),
                "nested arrays end in a (re, im) axis");
        Tensor fromReal = Ops.convertToTensor(new double[] {1.5, -2}, DType.COMPLEX64);
        assertArrayEquals(new double[] {1.5, 0, -2, 0}, fromReal.toComplexArray(), "real values: imaginary part 0");
        assertArrayEquals(new double[] {1, 0, 1, 0}, Ops.ones(DType.COMPLEX64, 2).toComplexArray());
        assertArrayEquals(new double[] {0, 0, 0, 0}, Ops.zeros(DType.COMPLEX128, 1, 2).toComplexArray());
        assertTrue(assertThrows(IllegalStateException.class, c::toFloatArray).getMessage().contains("toComplexArray"));
        assertThrows(IllegalArgumentException.class, () -> Tensors.complex(new float[] {1}, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Tensors.complexInterleaved(DType.FLOAT32, new double[2]));
        assertEquals(DType.COMPLEX64, DType.of("complex64"));
        assertEquals(DType.FLOAT64, DType.COMPLEX128.realPart());
        assertEquals(DType.COMPLEX64, DType.FLOAT32.complexOf());
        assertTrue(DType.COMPLEX64.isNumeric() && !DType.COMPLEX64.isFloating() && !DType.COMPLEX64.isInteger());
    }

    /** Data-movement ops: each applied to complex values equals it applied to each part. */
    private static final Map<String, UnaryOperator<Tensor>> MOVES = Map.ofEntries(
            Map.entry("reshape", t -> t.reshape(2, 6)),
            Map.entry("transpose", t -> Ops.transpose(t)),
            Map.entry("concat", t -> Ops.concat(List.of(t, Ops.transpose(Ops.transpose(t))), 1)),
            Map.entry("stack", t -> Ops.stack(List.of(t, t), 0)),
            Map.entry("slice", t -> Ops.slice(t, new int[] {1, 1}, new int[] {2, 2})),
            Map.entry("gather", t -> Ops.gather(t, Tensors.of(new int[] {2, 0, 2}), 0)),
            Map.entry("identity", Ops::identity),
            Map.entry("expandDims", t -> Ops.expandDims(t, 1)),
            Map.entry("squeeze", t -> Ops.squeeze(Ops.expandDims(t, 0))),
            Map.entry("tile", t -> Ops.tile(t, 2, 1)),
            Map.entry("pad", t -> Ops.pad(t, new int[][] {{1, 0}, {0, 2}})),
            Map.entry("broadcastTo", t -> Ops.broadcastTo(Ops.slice(t, new int[] {0, 0}, new int[] {1, 4}), 2, 4)),
            Map.entry("where", t -> Ops.where(Tensors.of(new boolean[] {true, false, true, false}), t,
                    Ops.zerosLike(t))),
            Map.entry("split", t -> Ops.split(t, 2, 1)[1]));

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"COMPLEX64", "COMPLEX128"})
    void dataMovementMovesBothPartsEagerlyAndTraced(DType dtype) {
        Tensor c = z(dtype);
        for (Map.Entry<String, UnaryOperator<Tensor>> e : MOVES.entrySet()) {
            UnaryOperator<Tensor> f = e.getValue();
            Tensor expected = Ops.complex(f.apply(Ops.real(c)), f.apply(Ops.imag(c)));
            Tensor eager = f.apply(c);
            assertEquals(dtype, eager.dtype(), e.getKey());
            assertEquals(expected.shape(), eager.shape(), e.getKey());
            assertArrayEquals(expected.toComplexArray(), eager.toComplexArray(), e.getKey() + " eager");
            Tensor traced = TracedFunction.unary(f).apply(c);
            assertArrayEquals(expected.toComplexArray(), traced.toComplexArray(), e.getKey() + " traced");
        }
    }

    @Test
    void padWithAConstantPadsItsRealPart() {
        Tensor p = Ops.pad(Tensors.complex(new float[] {1}, new float[] {2}), new int[][] {{1, 1}}, "CONSTANT", 5);
        assertArrayEquals(new double[] {5, 0, 1, 2, 5, 0}, p.toComplexArray());
    }

    @Test
    void unsupportedOpsSaySo() {
        Tensor c = z(DType.COMPLEX64);
        assertTrue(assertThrows(OpException.class, () -> Ops.greater(c, c)).getMessage().contains("no order"));
        assertTrue(assertThrows(OpException.class, () -> Ops.sin(c)).getMessage().contains("complex64"));
        assertTrue(assertThrows(OpException.class, () -> Ops.maximum(c, c)).getMessage().contains("complex64"));
        assertTrue(assertThrows(OpException.class, () -> Ops.fft(Ops.real(c))).getMessage()
                .contains("must be complex64 or complex128"));
        assertTrue(assertThrows(OpException.class, () -> Ops.rfft(c)).getMessage().contains("float32"));
        assertTrue(assertThrows(OpException.class, () -> Ops.rfft2d(Ops.real(c), 4)).getMessage()
                .contains("fftLength must have 2 entries"));
    }

    @Test
    void printingFollowsNumPy() {
        assertEquals("tf.Tensor([1.+2.j  3.-4.5j], shape=(2,), dtype=complex128)",
                Tensors.complex(new double[] {1, 3}, new double[] {2, -4.5}).toString());
        assertEquals("tf.Tensor((1+2j), shape=(), dtype=complex64)",
                Tensors.complex(new float[] {1}, new float[] {2}).reshape().toString());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"COMPLEX64", "COMPLEX128"})
    void npyAndGraphFilesKeepBothParts(DType dtype) throws IOException {
        Tensor x = z(dtype);
        Tensor back = Npy.fromBytes(Npy.toBytes(x));
        assertEquals(dtype, back.dtype());
        assertArrayEquals(x.toComplexArray(), back.toComplexArray());
        Graph g = new Graph();
        g.constant("c", x);
        Graph read = GraphIO.fromBytes(GraphIO.toBytes(g));
        Tensor c = assertInstanceOf(Tensor.class, read.nodes().get(0).attrs().get("value"));
        assertEquals(dtype, c.dtype());
        assertArrayEquals(x.toComplexArray(), c.toComplexArray());
    }

    @SuppressWarnings("unchecked")
    @Test
    void readsNpyFilesNumPyWrote() throws IOException {
        for (Object o : (List<Object>) ComplexReferenceTest.reference().get("npy")) {
            Map<String, Object> c = (Map<String, Object>) o;
            Tensor expected = ComplexReferenceTest.tensor(c.get("tensor"));
            Tensor read = Npy.fromBytes(HexFormat.of().parseHex((String) c.get("bytes")));
            assertEquals(expected.dtype(), read.dtype());
            assertEquals(expected.shape(), read.shape());
            assertArrayEquals(expected.toComplexArray(), read.toComplexArray());
        }
    }
}
