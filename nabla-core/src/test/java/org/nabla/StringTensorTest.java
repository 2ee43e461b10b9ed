package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.ops.OpException;
import org.nabla.runtime.Session;

/**
 * String tensors (TensorFlow's tf.string): factories, read-back, printing as TensorFlow prints them, every
 * dtype-generic shape and data-movement op, equality, where, casts refused, and graphs (constants, feeds, fetches,
 * graph files) and traced functions.
 */
class StringTensorTest {
    private static Tensor strings(String... s) { return Tensors.of(s); }

    @Test
    void factoriesAndReadBack() {
        Tensor t = Tensors.convert(new String[][] {{"a", "bc"}, {"", "héllo"}});
        assertEquals(DType.STRING, t.dtype());
        assertEquals(Shape.of(2, 2), t.shape());
        assertArrayEquals(new String[] {"a", "bc", "", "héllo"}, t.toStringArray());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), t.toBytesArray()[3]);
        assertArrayEquals(new String[][] {{"a", "bc"}, {"", "héllo"}}, (String[][]) t.toArray());
        assertEquals("x", Tensors.scalar("x").stringValue());
        assertEquals(Shape.SCALAR, Tensors.scalar("x").shape());
        Tensor raw = Tensors.ofBytes(new byte[][] {{(byte) 0xff, 0}, {}}, 2);
        assertEquals(2, raw.toBytesArray()[0].length);
        assertEquals("\uFFFD\u0000", raw.toStringArray()[0]); // not UTF-8: decoded with replacement characters
        assertEquals(Shape.of(3, 1), Tensors.of(new String[] {"a", "b", "c"}, 3, 1).shape());
    }

    @Test
    void numbersAndStringsDoNotConvertIntoEachOther() {
        Tensor s = strings("1");
        IllegalStateException e = assertThrows(IllegalStateException.class, s::toFloatArray);
        assertTrue(e.getMessage().contains("toNumber"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensors.of(new float[] {1}, 1).toStringArray());
        assertThrows(IllegalArgumentException.class, () -> Tensors.convert(new String[] {"1"}, DType.FLOAT32));
        OpException c = assertThrows(OpException.class, () -> Ops.cast(s, DType.FLOAT32));
        assertTrue(c.getMessage().contains("cast string to float32 is not supported"), c.getMessage());
        assertThrows(OpException.class, () -> Ops.cast(Tensors.scalar(1f), DType.STRING));
        assertEquals("1", Ops.cast(s, DType.STRING).toStringArray()[0]);
        OpException add = assertThrows(OpException.class, () -> Ops.add(s, s));
        assertTrue(add.getMessage().contains("numeric"), add.getMessage());
        OpException less = assertThrows(OpException.class, () -> Ops.less(s, s));
        assertTrue(less.getMessage().contains("Equal/NotEqual"), less.getMessage());
    }

    /** TensorFlow prints {@code tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)}: NumPy's str of a bytes array. */
    @Test
    void printsAsTensorFlowDoes() {
        assertEquals("tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)", strings("a", "bc").toString());
        assertEquals("tf.Tensor(b'hi', shape=(), dtype=string)", Tensors.scalar("hi").toString());
        assertEquals("tf.Tensor(\n[[b'a' b'b']\n [b'c' b'd']], shape=(2, 2), dtype=string)",
                Tensors.of(new String[] {"a", "b", "c", "d"}, 2, 2).toString());
        assertEquals("b\"it's\"", TensorFormat.bytesRepr("it's".getBytes(StandardCharsets.UTF_8)));
        assertEquals("b'\\t\\n\\\\\\xc3\\xa9'", TensorFormat.bytesRepr("\t\n\\é".getBytes(StandardCharsets.UTF_8)));
        assertEquals("b'\\'\"'", TensorFormat.bytesRepr("'\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shapeAndDataMovementOps() {
        Tensor m = Tensors.of(new String[] {"a", "b", "c", "d", "e", "f"}, 2, 3);
        assertArrayEquals(new String[] {"a", "d", "b", "e", "c", "f"}, Ops.transpose(m, 1, 0).toStringArray());
        assertArrayEquals(new String[] {"a", "d", "b", "e", "c", "f"},
                Ops.reshape(Ops.transpose(m, 1, 0), 6).toStringArray());
        assertArrayEquals(new String[] {"b", "c", "e", "f"}, Ops.slice(m, new int[] {0, 1}, new int[] {2, 2})
                .toStringArray());
        assertArrayEquals(new String[] {"c", "a", "f", "d"}, m.stridedSlice(new int[] {0, 2}, new int[] {2, -4},
                new int[] {1, -2}).toStringArray());
        assertArrayEquals(new String[] {"d", "e", "f", "a", "b", "c", "d", "e", "f"},
                Ops.gather(m, Tensors.of(new int[] {1, 0, 1}, 3), 0).toStringArray());
        assertArrayEquals(new String[] {"a", "b", "c", "d", "e", "f", "x", "y", "z"},
                Ops.concat(0, m, Tensors.of(new String[] {"x", "y", "z"}, 1, 3)).toStringArray());
        Tensor st = Ops.stack(1, strings("a", "b"), strings("c", "d"));
        assertEquals(Shape.of(2, 2), st.shape());
        assertArrayEquals(new String[] {"a", "c", "b", "d"}, st.toStringArray());
        assertArrayEquals(new String[] {"a", "b", "a", "b"}, Ops.tile(strings("a", "b"), 2).toStringArray());
        assertEquals(Shape.of(1, 2), Ops.expandDims(strings("a", "b"), 0).shape());
        assertEquals(Shape.of(2), Ops.squeeze(Ops.expandDims(strings("a", "b"), 0)).shape());
        assertArrayEquals(new String[] {"a", "b"}, Ops.identity(strings("a", "b")).toStringArray());
        assertEquals(Shape.of(0, 3), Ops.slice(m, new int[] {0, 0}, new int[] {0, 3}).shape());
        assertArrayEquals(new String[] {"", "a", ""}, Ops.pad(strings("a"), new int[][] {{1, 1}}, "CONSTANT", 0)
                .toStringArray());
        Tensor[] parts = Ops.split(m, 3, 1);
        assertArrayEquals(new String[] {"c", "f"}, parts[2].toStringArray());
    }

    @Test
    void equalityAndWhere() {
        Tensor a = strings("a", "b", "", "héllo");
        assertArrayEquals(new boolean[] {true, false, false, true},
                Ops.equal(a, strings("a", "c", "x", "héllo")).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, false}, Ops.equal(a, "b").toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, Ops.notEqual(a, "b").toBooleanArray());
        Tensor col = Tensors.of(new String[] {"a", "b"}, 2, 1);
        assertArrayEquals(new boolean[] {true, false, false, true}, Ops.equal(col, strings("a", "b")).toBooleanArray());
        Tensor w = Ops.where(Tensors.of(new boolean[] {true, false}), strings("yes", "yes"), Tensors.scalar("no"));
        assertArrayEquals(new String[] {"yes", "no"}, w.toStringArray());
    }

    @Test
    void graphsFeedFetchAndSaveStrings() throws IOException {
        Graph g = new Graph();
        Tensor x, eq, joined;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.STRING, Shape.of(-1));
            Tensor c = g.constant("c", new String[] {"b", "ü"});
            eq = Ops.equal(x, c);
            joined = Ops.concat(0, x, Ops.gather(c, Tensors.of(new int[] {1, 0}, 2), 0));
        }
        try (Session session = new Session(g)) {
            List<Tensor> out = session.run(List.of(eq, joined), Map.of(x, strings("a", "ü")));
            assertArrayEquals(new boolean[] {false, true}, out.get(0).toBooleanArray());
            assertArrayEquals(new String[] {"a", "ü", "ü", "b"}, out.get(1).toStringArray());
        }
        Graph back = GraphIO.fromBytes(GraphIO.toBytes(g));
        Tensor c = back.tensor("c:0");
        try (Session session = new Session(back)) {
            assertArrayEquals(new String[] {"b", "ü"}, session.run(c).toStringArray());
        }
    }

    @Test
    void tensorBytesWriteLengthPrefixedStringsAndKeepTheBuffersOrder() {
        Tensor t = strings("ab", "");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) org.nabla.io.TensorBytes.byteCount(t));
        org.nabla.io.TensorBytes.put(b, t);
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN, b.order());
        assertArrayEquals(new byte[] {2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0}, b.array());
        b.flip();
        assertArrayEquals(new String[] {"ab", ""}, org.nabla.io.TensorBytes.get(b, DType.STRING, Shape.of(2))
                .toStringArray());
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN, b.order());
    }

    @Test
    void npyFilesRefuseStringsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.nabla.io.Npy.toBytes(strings("a")));
        assertTrue(e.getMessage().contains(".npy has no variable-length byte string dtype"), e.getMessage());
    }

    @Test
    void tracedFunctionsWithAStringSignatureServeAnyLength() {
        TracedFunction f = TracedFunction.unary(x -> Ops.equal(x, "b"))
                .withInputSignature(org.nabla.ops.TensorSpec.of(DType.STRING, Shape.of(-1)));
        assertArrayEquals(new boolean[] {false, true}, f.call(strings("a", "b"))[0].toBooleanArray());
        assertArrayEquals(new boolean[] {true}, f.call(strings("b"))[0].toBooleanArray());
    }

    @Test
    void tracedFunctionsTakeAndReturnStrings() {
        TracedFunction f = TracedFunction.of(a -> new Tensor[] {Ops.where(Ops.equal(a[0], "x"), a[0], a[1])});
        Tensor[] out = f.call(strings("x", "y"), strings("1", "2"));
        assertArrayEquals(new String[] {"x", "2"}, out[0].toStringArray());
    }
}
