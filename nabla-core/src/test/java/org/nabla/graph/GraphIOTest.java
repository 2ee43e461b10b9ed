package org.nabla.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.CpuDevice;
import org.nabla.eager.ExecutionContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.SerialExecutor;

class GraphIOTest {
    /**
     * A test-only op holding a sub-graph (no core op has a GRAPH attribute yet): calls {@code f} on its inputs.
     * Internal, so OpCatalogTest expects no front-door method.
     */
    static final OpDef CALL = OpDef.builder("GraphIOTestCall").variadicInput("args", 0)
            .attr("f", AttrType.GRAPH)
            .shape((in, a) -> ((FuncGraph) a.get("f")).outputSpecs().toArray(TensorSpec[]::new))
            .notDifferentiable().internal().summary("test only: calls the function graph f").build();

    static {
        KernelRegistry.global().register(CALL, CpuDevice.TYPE, (DType) null,
                ctx -> SerialExecutor.call((FuncGraph) ctx.attrs().get("f"), ctx.inputs()));
    }

    /** A graph using every attribute kind, every dtype of constant, scopes, control inputs and devices. */
    static Graph sampleGraph() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor w = g.constant("w", new float[][] {{1, -2}, {0.5f, 3}, {-1, 0.25f}});
            g.constant("f64", new double[] {1e300, -0.0, Double.NaN});
            g.constant("i64", new long[] {Long.MIN_VALUE, 7});
            g.constant("u8", Tensor.wrap(DType.UINT8, Shape.of(2), new byte[] {(byte) 255, 3}));
            g.constant("flag", true);
            g.constant("empty", Tensor.wrap(DType.INT32, Shape.of(0, 4), new int[0]));
            Tensor y;
            try (Graph.ControlScope ns = g.nameScope("layer1"); Graph.ControlScope d = g.device("/device:CPU:1")) {
                y = Ops.leakyRelu(Ops.matmul(x, w), 0.1);
            }
            Tensor r = Ops.reshape(Ops.transpose(y, 1, 0), -1);
            Tensor c = Ops.cast(r, DType.FLOAT64);
            Tensor sum = Ops.sum(c, true, 0);
            try (Graph.ControlScope cs = g.withControlDependencies(List.of(sum))) {
                Ops.pad(y, new int[][] {{0, 1}, {1, 0}}, "REFLECT", 0);
            }
            Ops.dropout(y, 0.5, 1234567890123L);
            FuncGraph f = FuncGraph.trace("square_plus_y", List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 2))),
                    a -> new Tensor[] {Ops.add(Ops.square(a[0]), y)});
            g.addNode(CALL, Attrs.of("f", f), List.of(g.outputOf(y), g.outputOf(f.capturedOuter().get(0))), "call");
        }
        return g;
    }

    /** Same names, ops, devices, attributes (tensors by value, sub-graphs recursively), inputs and controls. */
    static void assertSameGraph(Graph expected, Graph actual) {
        assertEquals(expected.size(), actual.size(), "node count");
        for (int i = 0; i < expected.size(); i++) {
            Node e = expected.nodes().get(i), a = actual.nodes().get(i);
            String where = "node " + e.name();
            assertEquals(e.name(), a.name());
            assertEquals(e.op(), a.op(), where);
            assertEquals(e.device(), a.device(), where);
            assertEquals(e.inputs().toString(), a.inputs().toString(), where);
            assertEquals(e.controlInputs().stream().map(Node::name).toList(),
                    a.controlInputs().stream().map(Node::name).toList(), where);
            assertEquals(e.numOutputs(), a.numOutputs(), where);
            for (int k = 0; k < e.numOutputs(); k++) assertEquals(e.outputSpec(k), a.outputSpec(k), where);
            Map<String, Object> ea = e.attrs().asMap(), aa = a.attrs().asMap();
            assertEquals(ea.keySet(), aa.keySet(), where);
            for (String k : ea.keySet()) assertSameAttr(ea.get(k), aa.get(k), where + " attr " + k);
        }
    }

    private static void assertSameAttr(Object e, Object a, String where) {
        if (e instanceof Tensor t) {
            Tensor u = assertInstanceOf(Tensor.class, a, where);
            assertEquals(t.spec(), u.spec(), where);
            assertArrayEquals(bits(t), bits(u), where);
        } else if (e instanceof FuncGraph f) {
            FuncGraph h = assertInstanceOf(FuncGraph.class, a, where);
            assertEquals(f.name(), h.name());
            assertSameGraph(f.graph(), h.graph());
            assertEquals(f.params().toString(), h.params().toString());
            assertEquals(f.results().toString(), h.results().toString());
            assertEquals(f.capturedOuter().stream().map(Tensor::symbol).map(Object::toString).toList(),
                    h.capturedOuter().stream().map(Tensor::symbol).map(Object::toString).toList());
        } else {
            assertTrue(java.util.Objects.deepEquals(e, a), where + ": " + e + " vs " + a);
            assertEquals(e.getClass(), a.getClass(), where);
        }
    }

    /** Exact element bits (NaN payloads and signed zeros included). */
    static long[] bits(Tensor t) {
        Tensor d = t.dense();
        return switch (d.data()) {
            case float[] f -> {
                long[] b = new long[f.length];
                for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
                yield b;
            }
            case double[] f -> {
                long[] b = new long[f.length];
                for (int i = 0; i < f.length; i++) b[i] = Double.doubleToRawLongBits(f[i]);
                yield b;
            }
            default -> d.toLongArray();
        };
    }

    @Test
    void roundTripKeepsTheGraphIdenticalAndItsResults(@TempDir Path dir) throws IOException {
        Graph g = sampleGraph();
        Path file = dir.resolve("model.nabla");
        GraphIO.write(g, file);
        Graph back = GraphIO.read(file);
        assertSameGraph(g, back);
        // Writing the read graph gives the same bytes.
        assertArrayEquals(GraphIO.toBytes(g), GraphIO.toBytes(back));

        Tensor feed = Tensors.of(new float[][] {{1, 2, 3}, {-4, 5, -6}});
        List<String> fetches = List.of("layer1/LeakyRelu:0", "Sum:0", "Pad:0", "call:0", "f64:0", "u8:0", "empty:0");
        List<Tensor> expected = run(g, feed, fetches);
        List<Tensor> actual = run(back, feed, fetches);
        for (int i = 0; i < fetches.size(); i++) {
            assertEquals(expected.get(i).spec(), actual.get(i).spec(), fetches.get(i));
            assertArrayEquals(bits(expected.get(i)), bits(actual.get(i)), fetches.get(i));
        }
        assertEquals(List.of(), listTemporaries(dir), "no temporary file is left behind");
    }

    private static List<Tensor> run(Graph g, Tensor feed, List<String> fetches) {
        Map<Output, Tensor> feeds = new HashMap<>();
        feeds.put(g.outputOf(g.tensor("x")), feed);
        return SerialExecutor.run(g, feeds, fetches.stream().map(n -> g.outputOf(g.tensor(n))).toList(), List.of());
    }

    private static List<Path> listTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void streamAndByteVariantsAgreeAndOverwriteIsAtomic(@TempDir Path dir) throws IOException {
        Graph g = sampleGraph();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphIO.write(g, out);
        assertArrayEquals(GraphIO.toBytes(g), out.toByteArray());
        assertSameGraph(g, GraphIO.read(new ByteArrayInputStream(out.toByteArray())));
        assertSameGraph(g, GraphIO.fromBytes(out.toByteArray()));

        Path file = dir.resolve("g.nabla");
        Files.writeString(file, "old content");
        GraphIO.write(g, file);
        assertSameGraph(g, GraphIO.read(file));
        assertEquals(List.of(), listTemporaries(dir));
    }

    @Test
    void headerLayoutIsAsDocumented() {
        Graph g = new Graph();
        g.constant("c", 2.5f);
        byte[] b = GraphIO.toBytes(g);
        assertEquals("NABLAGRF", new String(b, 0, 8, StandardCharsets.US_ASCII));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, bb.getInt(8), "version");
        assertEquals(b.length - 24, bb.getLong(12), "body length");
        assertEquals(1, bb.getInt(20), "node count");
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), bb.getInt(b.length - 4));
        // The float32 value 2.5 is stored little-endian at the end of the Const's tensor.
        assertTrue(new String(b, StandardCharsets.ISO_8859_1).contains(new String(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array(), StandardCharsets.ISO_8859_1)));
    }

    // ---------------------------------------------------------------- errors

    private static IOException readFails(Path dir, byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.nabla");
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> GraphIO.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e;
    }

    /** Recomputes the trailing CRC32 so a deliberately damaged body gets past the checksum. */
    private static byte[] reseal(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Test
    void wrongMagicWrongVersionChecksumAndTruncationAreNamed(@TempDir Path dir) throws IOException {
        byte[] good = GraphIO.toBytes(sampleGraph());

        assertTrue(readFails(dir, "hello, this is not a graph".getBytes(StandardCharsets.UTF_8)).getMessage()
                .contains("not a Nabla graph file"));
        assertTrue(readFails(dir, new byte[0]).getMessage().contains("not a Nabla graph file"));

        byte[] v = good.clone();
        ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        assertTrue(readFails(dir, v).getMessage().contains("unsupported graph format version 99 (this build reads "
                + "version 1)"));

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertTrue(readFails(dir, flipped).getMessage().contains("checksum mismatch"));

        byte[] cut = java.util.Arrays.copyOf(good, good.length - 10);
        String m = readFails(dir, cut).getMessage();
        assertTrue(m.contains("truncated") && m.contains((good.length - 10) + " bytes"), m);
        assertTrue(readFails(dir, java.util.Arrays.copyOf(good, 14)).getMessage().contains("truncated"));

        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        assertTrue(readFails(dir, longer).getMessage().contains("corrupt"));
    }

    @Test
    void hugeLengthsInAResealedFileFailWithoutAllocating(@TempDir Path dir) throws IOException {
        byte[] b = GraphIO.toBytes(sampleGraph());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(20, Integer.MAX_VALUE); // node count
        String m = readFails(dir, reseal(b)).getMessage();
        assertTrue(m.contains("node count 2147483647 exceeds what the remaining"), m);

        // A name length of 2^31 - 1 in the first node.
        byte[] c = GraphIO.toBytes(sampleGraph());
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(24, Integer.MAX_VALUE);
        m = readFails(dir, reseal(c)).getMessage();
        assertTrue(m.contains("node name length") && m.contains("exceeds"), m);

        // A tensor claiming 2^40 elements.
        Graph g = new Graph();
        g.constant("c", new float[] {1, 2});
        byte[] d = GraphIO.toBytes(g);
        int shapeAt = indexOf(d, new byte[] {1, 1, 0, 0, 0, 2, 0, 0, 0}); // dtype float32, rank 1, dim 2
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(shapeAt + 5, 1 << 30);
        m = readFails(dir, reseal(d)).getMessage();
        assertTrue(m.contains("cannot hold 8 bytes"), m);
    }

    @Test
    void unknownDTypeCodeNamesTheKnownOnes(@TempDir Path dir) throws IOException {
        Graph g = new Graph();
        g.constant("c", new float[] {1, 2});
        byte[] b = GraphIO.toBytes(g);
        b[indexOf(b, new byte[] {1, 1, 0, 0, 0, 2, 0, 0, 0})] = 99; // the constant's dtype byte: float32 -> 99
        String m = readFails(dir, reseal(b)).getMessage();
        assertTrue(m.contains(": unknown dtype code 99 (known codes: 1 float32, 2 float64, "), m);
        assertTrue(m.contains("corrupt graph file at byte "), m);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void unknownOpsAndBadReferencesFailClearly(@TempDir Path dir) throws IOException {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Ops.relu(g.placeholder("x", DType.FLOAT32, Shape.of(2)));
        }
        byte[] b = GraphIO.toBytes(g);
        byte[] opName = {4, 0, 0, 0, 'R', 'e', 'l', 'u', 0, 0, 0, 0}; // the op name, then the empty device
        int at = indexOf(b, opName);
        byte[] renamed = b.clone();
        renamed[at + 7] = 'x'; // "Relx"
        String m = readFails(dir, reseal(renamed)).getMessage();
        assertTrue(m.contains("unknown op 'Relx'"), m);

        // The Relu's input refers to node 5, which does not exist.
        byte[] badRef = b.clone();
        int input = indexOf(b, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // 1 input: (0, 0)
        ByteBuffer.wrap(badRef).order(ByteOrder.LITTLE_ENDIAN).putInt(input + 4, 5);
        m = readFails(dir, reseal(badRef)).getMessage();
        assertTrue(m.contains("input 0 refers to node 5; only nodes 0..0 come before it"), m);
    }

    @Test
    void randomlyDamagedFilesOnlyEverFailWithIOException() {
        byte[] good = GraphIO.toBytes(sampleGraph());
        java.util.Random r = new java.util.Random(7);
        int read = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] b = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = GraphIO.HEADER_BYTES + r.nextInt(b.length - GraphIO.HEADER_BYTES - 4);
                b[at] = r.nextInt(3) == 0 ? (byte) 0xff : (byte) r.nextInt(256);
            }
            try {
                GraphIO.fromBytes(reseal(b)); // past the checksum: the parser itself must cope
                read++;
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("<bytes>: "), expected.getMessage());
            } catch (Throwable t) {
                throw new AssertionError("trial " + trial + ": " + t, t);
            }
        }
        assertTrue(read < 3000, "some damage must be detected");
    }

    @Test
    void unwritableGraphsFailClearly() {
        Graph outer = new Graph();
        Tensor other;
        try (ExecutionContext.Scope s = outer.asDefault()) {
            other = outer.placeholder("p", DType.FLOAT32, Shape.of(2));
        }
        Graph g = new Graph();
        FuncGraph f = FuncGraph.trace("f", List.of(), a -> new Tensor[] {Ops.neg(other)});
        g.addNode(CALL, Attrs.of("f", f), List.of(), "call_other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphIO.toBytes(g));
        assertTrue(e.getMessage().contains("captures p:0, which is not a tensor of the graph holding it"),
                e.getMessage());
    }

    @Test
    void aCopiedControlFlowNodeWritesItsTrailingInputsAsCaptures() throws IOException {
        // a pruned copy (as a partition is) keeps the While's functions, whose captures name the original graph's w
        Graph g = new Graph();
        Tensor x;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor w = g.placeholder("w", DType.FLOAT32, Shape.of(2));
            y = Ops.whileLoop(v -> v[0].less(2), v -> new Tensor[] {v[0].add(1), v[1].mul(w)},
                    new Tensor[] {Tensors.scalar(0), x})[1];
        }
        org.nabla.runtime.PrunedGraph copy = org.nabla.runtime.PrunedGraph.of(g, List.of((Output) x.symbol(),
                (Output) g.tensor("w:0").symbol()), List.of((Output) y.symbol()), List.of(), null);
        Graph back = GraphIO.fromBytes(GraphIO.toBytes(copy.graph()));
        Map<Tensor, Object> feeds = Map.of(back.tensor("x:0"), new float[] {1, 2}, back.tensor("w:0"),
                new float[] {3, -1});
        try (org.nabla.runtime.Session s = new org.nabla.runtime.Session(back)) {
            String fetch = copy.fetches().get(0).node().name() + ":" + copy.fetches().get(0).index();
            assertArrayEquals(new float[] {9, 2}, s.run(List.of(back.tensor(fetch)), feeds).get(0).toFloatArray());
        }
    }
}
