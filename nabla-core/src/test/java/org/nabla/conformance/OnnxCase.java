package org.nabla.conformance;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One ONNX single-operator test case read from its folder (model.onnx plus test_data_set_N/input_K.pb and
 * output_K.pb), parsed straight from the protobuf wire format. Only the fields the conformance run needs are read;
 * the full importer belongs to the ONNX issue.
 */
final class OnnxCase {
    /** An ONNX TensorProto: element type code, dims and values (double[] for floats, long[] for integers). */
    record TensorData(int dataType, long[] dims, double[] floats, long[] ints) {
        int size() {
            long n = 1;
            for (long d : dims) n *= d;
            return (int) n;
        }
    }

    /** An ONNX AttributeProto: one of its value kinds is set. */
    record Attribute(String name, Double f, Long i, String s, TensorData t, List<Double> floats, List<Long> ints) {}

    final String name;
    String opType;
    String domain = "";
    long opset;
    final List<String> nodeInputs = new ArrayList<>();
    final List<String> nodeOutputs = new ArrayList<>();
    final Map<String, Attribute> attributes = new LinkedHashMap<>();
    final List<String> graphInputs = new ArrayList<>();
    final Map<String, TensorData> initializers = new LinkedHashMap<>();
    final List<List<TensorData>> inputSets = new ArrayList<>();
    final List<List<TensorData>> outputSets = new ArrayList<>();
    private int nodeCount;
    /** True when a graph input or output is a sequence, map or optional rather than a tensor. */
    boolean nonTensorValue;

    private OnnxCase(String name) { this.name = name; }

    static OnnxCase load(Path dir) throws IOException {
        OnnxCase c = new OnnxCase(dir.getFileName().toString());
        c.parseModel(CodedInputStream.newInstance(Files.readAllBytes(dir.resolve("model.onnx"))));
        if (c.nodeCount != 1) throw new IOException(c.name + ": expected one node, found " + c.nodeCount);
        if (c.nonTensorValue) return c; // sequence/optional values: no tensor data to read
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            c.inputSets.add(readTensors(set, "input_"));
            c.outputSets.add(readTensors(set, "output_"));
        }
        return c;
    }

    private static List<TensorData> readTensors(Path set, String prefix) throws IOException {
        List<TensorData> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            Path p = set.resolve(prefix + k + ".pb");
            if (!Files.exists(p)) return out;
            out.add(parseTensor(CodedInputStream.newInstance(Files.readAllBytes(p))));
        }
    }

    private void parseModel(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 7 -> { int lim = in.pushLimit(in.readRawVarint32()); parseGraph(in); in.popLimit(lim); }
                case 8 -> { int lim = in.pushLimit(in.readRawVarint32()); parseOpset(in); in.popLimit(lim); }
                default -> in.skipField(tag);
            }
        }
    }

    private void parseOpset(CodedInputStream in) throws IOException {
        String dom = "";
        long version = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> dom = in.readString();
                case 2 -> version = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        if (dom.isEmpty() || dom.equals("ai.onnx")) opset = version;
    }

    private void parseGraph(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> { int lim = in.pushLimit(in.readRawVarint32()); parseNode(in); in.popLimit(lim); nodeCount++; }
                case 5 -> {
                    int lim = in.pushLimit(in.readRawVarint32());
                    String[] nameOut = new String[1];
                    TensorData t = parseTensor(in, nameOut);
                    in.popLimit(lim);
                    initializers.put(nameOut[0], t);
                }
                case 11, 12 -> {
                    int lim = in.pushLimit(in.readRawVarint32());
                    String n = parseValueInfo(in);
                    in.popLimit(lim);
                    if (WireFormat.getTagFieldNumber(tag) == 11) graphInputs.add(n);
                }
                default -> in.skipField(tag);
            }
        }
    }

    /** Reads a ValueInfoProto's name and notes whether its type is a plain tensor (not a sequence, map...). */
    private String parseValueInfo(CodedInputStream in) throws IOException {
        String n = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> n = in.readString();
                case 2 -> {
                    int lim = in.pushLimit(in.readRawVarint32());
                    for (int t; (t = in.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) != 1) nonTensorValue = true;
                        in.skipField(t);
                    }
                    in.popLimit(lim);
                }
                default -> in.skipField(tag);
            }
        }
        return n;
    }

    private void parseNode(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodeInputs.add(in.readString());
                case 2 -> nodeOutputs.add(in.readString());
                case 4 -> opType = in.readString();
                case 5 -> {
                    int lim = in.pushLimit(in.readRawVarint32());
                    Attribute a = parseAttribute(in);
                    in.popLimit(lim);
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = in.readString();
                default -> in.skipField(tag);
            }
        }
    }

    private static Attribute parseAttribute(CodedInputStream in) throws IOException {
        String name = null, s = null;
        Double f = null;
        Long i = null;
        TensorData t = null;
        List<Double> floats = new ArrayList<>();
        List<Long> ints = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> name = in.readString();
                case 2 -> f = (double) in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> s = in.readBytes().toStringUtf8();
                case 5 -> { int lim = in.pushLimit(in.readRawVarint32()); t = parseTensor(in); in.popLimit(lim); }
                case 7 -> {
                    if (packed) {
                        int lim = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) floats.add((double) in.readFloat());
                        in.popLimit(lim);
                    } else floats.add((double) in.readFloat());
                }
                case 8 -> {
                    if (packed) {
                        int lim = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) ints.add(in.readInt64());
                        in.popLimit(lim);
                    } else ints.add(in.readInt64());
                }
                default -> in.skipField(tag);
            }
        }
        return new Attribute(name, f, i, s, t, floats, ints);
    }

    static TensorData parseTensor(CodedInputStream in) throws IOException { return parseTensor(in, new String[1]); }

    private static TensorData parseTensor(CodedInputStream in, String[] nameOut) throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        List<Double> f = new ArrayList<>();
        List<Long> l = new ArrayList<>();
        byte[] raw = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            int lim = packed && field != 8 && field != 9 && field != 6 ? in.pushLimit(in.readRawVarint32()) : -1;
            do {
                switch (field) {
                    case 1 -> dims.add(in.readInt64());
                    case 2 -> type = in.readInt32();
                    case 4 -> f.add((double) in.readFloat());
                    case 5 -> l.add((long) in.readInt32());
                    case 7 -> l.add(in.readInt64());
                    case 8 -> nameOut[0] = in.readString();
                    case 9 -> raw = in.readByteArray();
                    case 10 -> f.add(in.readDouble());
                    case 11 -> l.add(in.readUInt64());
                    default -> in.skipField(tag);
                }
            } while (lim >= 0 && in.getBytesUntilLimit() > 0);
            if (lim >= 0) in.popLimit(lim);
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long x : d) n *= x;
        boolean floating = type == 1 || type == 11 || type == 10;
        if (raw != null) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                switch (type) {
                    case 1 -> f.add((double) b.getFloat());
                    case 11 -> f.add(b.getDouble());
                    case 2, 9 -> l.add((long) (b.get() & 0xff));
                    case 3 -> l.add((long) b.get());
                    case 4 -> l.add((long) (b.getShort() & 0xffff));
                    case 5 -> l.add((long) b.getShort());
                    case 6 -> l.add((long) b.getInt());
                    case 12 -> l.add(b.getInt() & 0xffffffffL);
                    case 7, 13 -> l.add(b.getLong());
                    default -> { return new TensorData(type, d, null, null); }
                }
            }
        }
        return floating
                ? new TensorData(type, d, f.stream().mapToDouble(Double::doubleValue).toArray(), null)
                : new TensorData(type, d, null, l.stream().mapToLong(Long::longValue).toArray());
    }

    Attribute attr(String n) { return attributes.get(n); }

    long attrInt(String n, long dflt) {
        Attribute a = attributes.get(n);
        return a == null || a.i() == null ? dflt : a.i();
    }

    double attrFloat(String n, double dflt) {
        Attribute a = attributes.get(n);
        return a == null || a.f() == null ? dflt : a.f();
    }

    String attrString(String n, String dflt) {
        Attribute a = attributes.get(n);
        return a == null || a.s() == null ? dflt : a.s();
    }

    int[] attrInts(String n, int[] dflt) {
        Attribute a = attributes.get(n);
        return a == null || a.ints().isEmpty() ? dflt : a.ints().stream().mapToInt(Long::intValue).toArray();
    }
}
