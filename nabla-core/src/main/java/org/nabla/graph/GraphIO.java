package org.nabla.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.TensorBytes;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpRegistry;

/**
 * Reads and writes graphs in Nabla's binary graph format (version {@value #VERSION}, specified in
 * docs/graph-format.md): magic bytes, version, body length, the nodes in creation order, and a CRC32 of everything
 * before it. Reading rebuilds every node through {@link Graph#addNodeExact}, so attributes are resolved, shapes
 * re-inferred and ops looked up in {@link OpRegistry}; any inconsistency is an {@link IOException} naming the source
 * and the problem. Every length read from a file is checked against the bytes actually left before anything is
 * allocated, so a corrupt length cannot make the reader allocate more than the file's size. No Java serialization.
 */
public final class GraphIO {
    /** The first 8 bytes of every graph file. */
    static final byte[] MAGIC = "NABLAGRF".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    static final int HEADER_BYTES = 8 + 4 + 8;
    static final int CRC_BYTES = 4;
    /** Nested function graphs deeper than this are rejected (a corrupt file must not overflow the stack). */
    static final int MAX_DEPTH = 64;

    // Attribute tags: one per kind of Java value an attribute holds (see AttrType).
    static final int TAG_INT = 1, TAG_LONG = 2, TAG_FLOAT = 3, TAG_BOOL = 4, TAG_STRING = 5, TAG_DTYPE = 6,
            TAG_INTS = 7, TAG_FLOATS = 8, TAG_SHAPE = 9, TAG_TENSOR = 10, TAG_GRAPH = 11;

    private GraphIO() {}

    // ---------------------------------------------------------------- writing

    /** Writes {@code graph} to {@code path} atomically: a temporary file in the same folder, then a rename. */
    public static void write(Graph graph, Path path) throws IOException {
        org.nabla.io.AtomicFiles.write(path, toBytes(graph));
    }

    /** Writes {@code graph} to a stream (which stays open). */
    public static void write(Graph graph, OutputStream out) throws IOException { out.write(toBytes(graph)); }

    /**
     * The graph as the bytes of a graph file. Fails with {@link IllegalArgumentException} for a graph that cannot be
     * written (an attribute holding a sub-graph that is not a {@link FuncGraph}, or one capturing tensors of a graph
     * other than the one holding it).
     */
    public static byte[] toBytes(Graph graph) {
        Writer w = new Writer();
        w.raw(MAGIC);
        w.i32(VERSION);
        w.i64(0); // body length, patched below
        writeGraph(w, graph, 0);
        byte[] bytes = w.toByteArray();
        long bodyLength = bytes.length - HEADER_BYTES;
        ByteBuffer.wrap(bytes, 12, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(bodyLength);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + CRC_BYTES);
        ByteBuffer.wrap(all, bytes.length, CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return all;
    }

    private static void writeGraph(Writer w, Graph graph, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("function graphs nest deeper than " + MAX_DEPTH);
        List<Node> nodes = graph.nodes();
        w.i32(nodes.size());
        for (Node n : nodes) {
            w.str(n.name());
            w.str(n.op().name());
            w.str(n.device());
            Map<String, Object> attrs = n.attrs().asMap();
            w.i32(attrs.size());
            for (Map.Entry<String, Object> a : attrs.entrySet()) {
                w.str(a.getKey());
                writeAttr(w, graph, n, a.getKey(), a.getValue(), depth);
            }
            w.i32(n.inputs().size());
            for (Output o : n.inputs()) writeRef(w, o);
            w.i32(n.controlInputs().size());
            for (Node c : n.controlInputs()) w.i32(c.id());
            w.i32(n.numOutputs());
            for (int i = 0; i < n.numOutputs(); i++) {
                w.u8(n.outputSpec(i).dtype().fileCode());
                writeShape(w, n.outputSpec(i).shape());
            }
        }
    }

    private static void writeAttr(Writer w, Graph graph, Node n, String name, Object v, int depth) {
        switch (v) {
            case Integer i -> { w.u8(TAG_INT); w.i32(i); }
            case Long l -> { w.u8(TAG_LONG); w.i64(l); }
            case Double d -> { w.u8(TAG_FLOAT); w.f64(d); }
            case Boolean b -> { w.u8(TAG_BOOL); w.u8(b ? 1 : 0); }
            case String s -> { w.u8(TAG_STRING); w.str(s); }
            case DType d -> { w.u8(TAG_DTYPE); w.u8(d.fileCode()); }
            case int[] a -> {
                w.u8(TAG_INTS);
                w.i32(a.length);
                for (int x : a) w.i32(x);
            }
            case double[] a -> {
                w.u8(TAG_FLOATS);
                w.i32(a.length);
                for (double x : a) w.f64(x);
            }
            case Shape s -> { w.u8(TAG_SHAPE); writeShape(w, s); }
            case Tensor t -> { w.u8(TAG_TENSOR); writeTensor(w, t); }
            case FuncGraph f -> { w.u8(TAG_GRAPH); writeFunction(w, graph, n, name, f, depth); }
            case GraphFunction f -> throw new IllegalArgumentException("node '" + n.name() + "': attribute '" + name
                    + "' holds a " + f.getClass().getName() + "; only FuncGraph sub-graphs can be written");
            default -> throw new IllegalArgumentException("node '" + n.name() + "': attribute '" + name
                    + "' has unsupported type " + v.getClass().getName());
        }
    }

    private static void writeFunction(Writer w, Graph outer, Node n, String attr, FuncGraph f, int depth) {
        w.str(f.name());
        writeGraph(w, f.graph(), depth + 1);
        w.i32(f.params().size());
        for (Output o : f.params()) writeRef(w, o);
        w.i32(f.results().size());
        for (Output o : f.results()) writeRef(w, o);
        List<Tensor> captured = f.capturedOuter();
        w.i32(captured.size());
        int firstCapture = n.inputs().size() - captured.size();
        for (int i = 0; i < captured.size(); i++) {
            Tensor t = captured.get(i);
            Output o = t.symbol() instanceof Output c && c.graph() == outer ? c : null;
            // A node copied into another graph (a partition, a pruned copy) keeps its functions, whose captures
            // still name tensors of the graph they were traced in; the control-flow op's trailing inputs are those
            // captures (ControlFlowOps), so they stand in for them here.
            if (o == null && firstCapture >= 0 && n.inputs().get(firstCapture + i).spec().dtype() == t.dtype()) {
                o = n.inputs().get(firstCapture + i);
            }
            if (o == null) {
                throw new IllegalArgumentException("node '" + n.name() + "': function '" + f.name() + "' in attribute '"
                        + attr + "' captures " + t.symbol() + ", which is not a tensor of the graph holding it");
            }
            writeRef(w, o);
        }
    }

    private static void writeRef(Writer w, Output o) {
        w.i32(o.node().id());
        w.i32(o.index());
    }

    private static void writeShape(Writer w, Shape s) {
        w.i32(s.rank());
        for (int d : s.dims()) w.i32(d);
    }

    private static void writeTensor(Writer w, Tensor t) {
        w.u8(t.dtype().fileCode());
        writeShape(w, t.shape());
        long count = TensorBytes.byteCount(t);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a constant of " + t.spec() + " is too large for a graph file "
                    + "(2 GiB at most)");
        }
        w.i64(count);
        byte[] bytes = new byte[(int) count];
        TensorBytes.put(ByteBuffer.wrap(bytes), t);
        w.raw(bytes);
    }

    /** Little-endian byte sink. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 12);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void raw(byte[] b) { out.writeBytes(b); }

        void u8(int v) { out.write(v); }

        void i32(int v) { out.write(scratch.clear().putInt(v).array(), 0, 4); }

        void i64(long v) { out.write(scratch.clear().putLong(v).array(), 0, 8); }

        void f64(double v) { out.write(scratch.clear().putDouble(v).array(), 0, 8); }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            raw(b);
        }

        byte[] toByteArray() { return out.toByteArray(); }
    }

    // ---------------------------------------------------------------- reading (GraphFileReader)

    /** Reads a graph file. Errors name the file and the problem. */
    public static Graph read(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /** Reads a graph from a stream (read to its end). */
    public static Graph read(InputStream in) throws IOException { return fromBytes(in.readAllBytes(), "<stream>"); }

    /** Reads a graph from the bytes of a graph file. */
    public static Graph fromBytes(byte[] bytes) throws IOException { return fromBytes(bytes, "<bytes>"); }

    private static Graph fromBytes(byte[] bytes, String source) throws IOException {
        return GraphFileReader.read(bytes, source);
    }
}
