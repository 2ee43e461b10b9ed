package org.nabla.graph;

import static org.nabla.graph.GraphIO.CRC_BYTES;
import static org.nabla.graph.GraphIO.HEADER_BYTES;
import static org.nabla.graph.GraphIO.MAGIC;
import static org.nabla.graph.GraphIO.MAX_DEPTH;
import static org.nabla.graph.GraphIO.TAG_BOOL;
import static org.nabla.graph.GraphIO.TAG_DTYPE;
import static org.nabla.graph.GraphIO.TAG_FLOAT;
import static org.nabla.graph.GraphIO.TAG_FLOATS;
import static org.nabla.graph.GraphIO.TAG_GRAPH;
import static org.nabla.graph.GraphIO.TAG_INT;
import static org.nabla.graph.GraphIO.TAG_INTS;
import static org.nabla.graph.GraphIO.TAG_LONG;
import static org.nabla.graph.GraphIO.TAG_SHAPE;
import static org.nabla.graph.GraphIO.TAG_STRING;
import static org.nabla.graph.GraphIO.TAG_TENSOR;
import static org.nabla.graph.GraphIO.VERSION;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.TensorBytes;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;
import org.nabla.ops.TensorSpec;

/**
 * The reading half of {@link GraphIO}: checks magic, version, length and checksum, then parses the body with
 * bounds-checked reads (every count and length is checked against the bytes left before anything is allocated) and
 * rebuilds each node through {@link Graph#addNodeExact}. Every failure is an {@link IOException} naming the source.
 */
final class GraphFileReader {
    /** The fewest bytes one serialized node takes: 7 length/count fields. */
    private static final int MIN_NODE_BYTES = 7 * 4;

    private GraphFileReader() {}

    static Graph read(byte[] bytes, String source) throws IOException {
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException(source + ": not a Nabla graph file (the first bytes are not the magic \"NABLAGRF\")");
        }
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new IOException(source + ": truncated graph file: " + bytes.length + " bytes, shorter than the "
                    + (HEADER_BYTES + CRC_BYTES) + "-byte header and checksum");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int version = header.getInt(8);
        if (version != VERSION) {
            throw new IOException(source + ": unsupported graph format version " + version + " (this build reads "
                    + "version " + VERSION + ")");
        }
        long bodyLength = header.getLong(12);
        long expected = HEADER_BYTES + bodyLength + CRC_BYTES;
        if (bodyLength < 0 || expected != bytes.length) {
            throw new IOException(source + ": " + (bodyLength >= 0 && expected > bytes.length ? "truncated" : "corrupt")
                    + " graph file: the header announces " + bodyLength + " body bytes (" + expected
                    + " bytes in all) but the file holds " + bytes.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        int stored = ByteBuffer.wrap(bytes, bytes.length - CRC_BYTES, CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(source + ": checksum mismatch: stored CRC32 " + hex(stored) + ", computed "
                    + hex((int) crc.getValue()) + " (the file is corrupted)");
        }
        Reader r = new Reader(bytes, HEADER_BYTES, bytes.length - CRC_BYTES, source);
        Graph g = readGraph(r, List.of(), 0);
        if (r.pos != r.end) throw r.corrupt((r.end - r.pos) + " unread bytes after the last node");
        return g;
    }

    private static String hex(int v) { return String.format("0x%08x", v); }

    private static Graph readGraph(Reader r, List<Node> outer, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw r.corrupt("function graphs nest deeper than " + MAX_DEPTH);
        Graph g = new Graph();
        List<Node> built = new ArrayList<>();
        int count = r.count(MIN_NODE_BYTES, "node count");
        for (int index = 0; index < count; index++) {
            int start = r.pos;
            String name = r.str("node name");
            String opName = r.str("op name");
            String where = "node " + index + " '" + name + "'";
            String device = r.str("device");
            int attrCount = r.count(5, "attribute count of " + where);
            List<Object> pairs = new ArrayList<>();
            Set<String> attrNames = new HashSet<>();
            for (int a = 0; a < attrCount; a++) {
                String attr = r.str("attribute name of " + where);
                if (!attrNames.add(attr)) throw r.corrupt(where + " has attribute '" + attr + "' twice");
                pairs.add(attr);
                pairs.add(readAttr(r, built, where + " attribute '" + attr + "'", depth));
            }
            int inputCount = r.count(8, "input count of " + where);
            List<Output> inputs = new ArrayList<>();
            for (int i = 0; i < inputCount; i++) inputs.add(readRef(r, built, where + " input " + i));
            int controlCount = r.count(4, "control input count of " + where);
            List<Node> controls = new ArrayList<>();
            for (int i = 0; i < controlCount; i++) {
                int c = r.i32();
                if (c < 0 || c >= built.size()) {
                    throw r.corrupt(where + " control input " + i + " refers to node " + c + "; only nodes 0.."
                            + (built.size() - 1) + " come before it");
                }
                controls.add(built.get(c));
            }
            int outputCount = r.count(5, "output count of " + where);
            List<TensorSpec> specs = new ArrayList<>();
            for (int i = 0; i < outputCount; i++) specs.add(new TensorSpec(readDType(r), readShape(r)));
            if (!OpRegistry.contains(opName)) {
                throw new IOException(r.source + ": " + where + " uses unknown op '" + opName
                        + "' (not in this build's op registry)");
            }
            OpDef op = OpRegistry.get(opName);
            Node n;
            try {
                n = g.addNodeExact(op, Attrs.of(pairs.toArray()), inputs, controls, name, device);
            } catch (RuntimeException e) {
                throw new IOException(r.source + ": cannot rebuild " + where + " (op " + opName + ", at byte " + start
                        + "): " + e.getMessage(), e);
            }
            List<TensorSpec> inferred = new ArrayList<>();
            for (int i = 0; i < n.numOutputs(); i++) inferred.add(n.outputSpec(i));
            if (!inferred.equals(specs)) {
                throw new IOException(r.source + ": " + where + " (op " + opName + ") was written with outputs " + specs
                        + " but shape inference now gives " + inferred);
            }
            built.add(n);
        }
        return g;
    }

    private static Object readAttr(Reader r, List<Node> g, String where, int depth) throws IOException {
        int tag = r.u8();
        return switch (tag) {
            case TAG_INT -> r.i32();
            case TAG_LONG -> r.i64();
            case TAG_FLOAT -> r.f64();
            case TAG_BOOL -> {
                int b = r.u8();
                if (b > 1) throw r.corrupt(where + ": boolean byte " + b + " is neither 0 nor 1");
                yield b == 1;
            }
            case TAG_STRING -> r.str(where);
            case TAG_DTYPE -> readDType(r);
            case TAG_INTS -> {
                int[] a = new int[r.count(4, where + " length")];
                for (int i = 0; i < a.length; i++) a[i] = r.i32();
                yield a;
            }
            case TAG_FLOATS -> {
                double[] a = new double[r.count(8, where + " length")];
                for (int i = 0; i < a.length; i++) a[i] = r.f64();
                yield a;
            }
            case TAG_SHAPE -> readShape(r);
            case TAG_TENSOR -> readTensor(r, where);
            case TAG_GRAPH -> readFunction(r, g, where, depth);
            default -> throw r.corrupt(where + ": unknown attribute tag " + tag);
        };
    }

    private static FuncGraph readFunction(Reader r, List<Node> outer, String where, int depth) throws IOException {
        String name = r.str(where + " function name");
        Graph body = readGraph(r, outer, depth + 1);
        List<Node> bodyNodes = body.nodes();
        List<Output> params = readRefs(r, bodyNodes, where + " parameter");
        List<Output> results = readRefs(r, bodyNodes, where + " result");
        List<Output> captured = readRefs(r, outer, where + " capture");
        List<Tensor> capturedTensors = captured.stream().map(o -> o.node().output(o.index())).toList();
        return FuncGraph.restore(name, body, params, results, capturedTensors);
    }

    private static List<Output> readRefs(Reader r, List<Node> g, String what) throws IOException {
        int n = r.count(8, what + " count");
        List<Output> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) refs.add(readRef(r, g, what + " " + i));
        return refs;
    }

    private static Output readRef(Reader r, List<Node> g, String what) throws IOException {
        int node = r.i32();
        int output = r.i32();
        if (node < 0 || node >= g.size()) {
            throw r.corrupt(what + " refers to node " + node + "; only nodes 0.." + (g.size() - 1) + " come before it");
        }
        Node n = g.get(node);
        if (output < 0 || output >= n.numOutputs()) {
            throw r.corrupt(what + " refers to output " + output + " of node '" + n.name() + "', which has "
                    + n.numOutputs() + " outputs");
        }
        return new Output(n, output);
    }

    private static DType readDType(Reader r) throws IOException {
        int code = r.u8();
        try {
            return DType.fromFileCode(code);
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage());
        }
    }

    private static Shape readShape(Reader r) throws IOException {
        int[] dims = new int[r.count(4, "shape rank")];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = r.i32();
            if (dims[i] < -1) throw r.corrupt("shape dimension " + dims[i] + " is below -1");
        }
        return Shape.of(dims);
    }

    private static Tensor readTensor(Reader r, String where) throws IOException {
        DType dtype = readDType(r);
        Shape shape = readShape(r);
        if (!shape.isFullyDefined()) throw r.corrupt(where + ": a tensor value has unknown dimensions " + shape);
        long byteCount = r.i64();
        long size = 1;
        for (int d : shape.dims()) size = Math.min(size * d, Integer.MAX_VALUE); // saturating: no long overflow
        if (size > Integer.MAX_VALUE - 8 || !TensorBytes.plausibleByteCount(dtype, size, byteCount)) {
            throw r.corrupt(where + ": a " + dtype + " tensor of shape " + shape + " cannot hold " + byteCount
                    + " bytes");
        }
        ByteBuffer b = r.slice(byteCount, where + " tensor data");
        try {
            Tensor t = TensorBytes.get(b, dtype, shape);
            if (b.hasRemaining()) throw new IllegalArgumentException(b.remaining() + " bytes left after the elements");
            return t;
        } catch (IllegalArgumentException e) {
            throw r.corrupt(where + ": " + e.getMessage());
        }
    }

    /** Bounds-checked little-endian reading of [pos, end); every failure names the source and the byte offset. */
    private static final class Reader {
        final byte[] bytes;
        final int end;
        final String source;
        int pos;
        private final ByteBuffer buf;

        Reader(byte[] bytes, int pos, int end, String source) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
            this.source = source;
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        IOException corrupt(String what) {
            return new IOException(source + ": corrupt graph file at byte " + pos + ": " + what);
        }

        private void need(long n, String what) throws IOException {
            if (n > end - pos) {
                throw corrupt(what + " needs " + n + " bytes but only " + (end - pos) + " remain");
            }
        }

        int u8() throws IOException {
            need(1, "a byte");
            return bytes[pos++] & 0xff;
        }

        int i32() throws IOException {
            need(4, "an int");
            int v = buf.getInt(pos);
            pos += 4;
            return v;
        }

        long i64() throws IOException {
            need(8, "a long");
            long v = buf.getLong(pos);
            pos += 8;
            return v;
        }

        double f64() throws IOException {
            need(8, "a double");
            double v = buf.getDouble(pos);
            pos += 8;
            return v;
        }

        /** A count of items of at least {@code minBytes} each, checked against the bytes left. */
        int count(int minBytes, String what) throws IOException {
            int n = i32();
            if (n < 0 || (long) n * minBytes > end - pos) {
                int left = end - pos;
                pos -= 4;
                throw corrupt(what + " " + (n & 0xffffffffL) + " exceeds what the remaining " + left
                        + " bytes can hold");
            }
            return n;
        }

        String str(String what) throws IOException {
            int n = count(1, what + " length");
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, pos, n))
                        .toString();
                pos += n;
                return s;
            } catch (CharacterCodingException e) {
                throw corrupt(what + " is not valid UTF-8");
            }
        }

        ByteBuffer slice(long n, String what) throws IOException {
            need(n, what);
            ByteBuffer b = ByteBuffer.wrap(bytes, pos, (int) n).slice().order(ByteOrder.LITTLE_ENDIAN);
            pos += (int) n;
            return b;
        }
    }
}
