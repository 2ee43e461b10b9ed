package org.nabla.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.storage.Strided;

/**
 * NumPy's {@code .npy} format: one tensor per file, a small text header ({@code {'descr': '<f4', 'fortran_order':
 * False, 'shape': (2, 3), }}) followed by the raw elements.
 *
 * <p>Writing produces format 1.0 (2.0 only for a header over 64 KiB), little-endian, C order, byte for byte what
 * NumPy 1.24+ writes. Reading accepts versions 1.0, 2.0 and 3.0, every Nabla dtype in either byte order, and
 * Fortran order (the data is transposed into C order while reading). The header is parsed as a strict Python-literal
 * subset, never evaluated, and every size it claims is checked against the real length of the file before a buffer
 * is allocated; problems raise {@link IOException}s that name the file and what is wrong.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** NumPy pads headers so that the shape can grow in place up to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Headers larger than this are rejected before being read (NumPy's own limit is 10 000 bytes). */
    private static final int MAX_HEADER = 1 << 20;
    private static final int IO_CHUNK = 1 << 20;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** What the reader accepts, for its errors: every dtype's descr as written, e.g. "<f4, <f8, ...". */
    private static final String SUPPORTED = supported();

    private Npy() {}

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code t} to {@code path} atomically: the bytes go to a temporary file in the same directory, which is
     * flushed to disk and then renamed over {@code path}, so readers see the old file or the complete new one.
     */
    public static void write(Tensor t, Path path) throws IOException {
        AtomicFiles.write(path, tmp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                write(t, out);
            }
        });
    }

    /** Writes {@code t} in .npy format to {@code out} (not closed). */
    public static void write(Tensor t, OutputStream out) throws IOException {
        Tensor dense = t.dense();
        out.write(header(dense.dtype(), dense.shape()));
        writeData(dense, out);
    }

    /** The .npy bytes of {@code t}. */
    public static byte[] toBytes(Tensor t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(t, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** The preamble and padded header NumPy writes for this dtype and shape. */
    static byte[] header(DType dtype, Shape shape) {
        if (dtype == DType.STRING) {
            throw new IllegalArgumentException(".npy has no variable-length byte string dtype (NumPy stores those as "
                    + "pickled objects, which Nabla does not write); save string tensors in a checkpoint or a "
                    + "TFRecord file");
        }
        if (dtype.isLowPrecision()) {
            throw new IllegalArgumentException(".npy cannot tell " + dtype + " from the other one-byte ml_dtypes types "
                    + "(all '|V1'); cast it to float32 or save it in a checkpoint");
        }
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
                .append("', 'fortran_order': False, 'shape': ").append(shape).append(", }");
        if (shape.rank() > 0) dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape.dim(0)).length()));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int lengthBytes = 2;
        int hlen = text.length + 1;
        int pad = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
        if (hlen + pad > 0xffff) {
            major = 2;
            lengthBytes = 4;
            pad = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) b.putShort((short) (hlen + pad)); else b.putInt(hlen + pad);
        b.put(text);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    /** The descr NumPy writes for each dtype: the one table between the two, read both ways. */
    private static String descr(DType d) {
        return switch (d) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            case INT8 -> "|i1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case UINT32 -> "<u4";
            case UINT64 -> "<u8";
            case FLOAT16 -> "<f2";
            // NumPy has no bfloat16; ml_dtypes saves it as a 2-byte void, the one such type this reads back
            case BFLOAT16 -> "<V2";
            case STRING -> "|O"; // pickled objects: neither read nor written (header refuses it)
            case COMPLEX64 -> "<c8";
            case COMPLEX128 -> "<c16";
            // ml_dtypes saves every 1-byte type as '|V1', which cannot tell them apart: not written, not read
            case FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, UINT4, INT4, FLOAT4E2M1, UINT2, INT2 -> "|V1";
        };
    }

    /**
     * The dtype of a descr without its byte-order character ({@code f4}, {@code u1}...), or of one of NumPy's
     * one-letter type characters that older writers use for the one-byte and two-byte types; null if unsupported.
     */
    private static DType dtypeOfDescr(String code) {
        for (DType d : DType.values()) {
            if (d != DType.STRING && !d.isLowPrecision() && descr(d).substring(1).equals(code)) return d;
        }
        return switch (code) {
            case "B" -> DType.UINT8;
            case "?" -> DType.BOOL;
            case "b" -> DType.INT8;
            case "h" -> DType.INT16;
            case "H" -> DType.UINT16;
            case "I" -> DType.UINT32;
            case "e" -> DType.FLOAT16;
            default -> null;
        };
    }

    private static String supported() {
        StringBuilder sb = new StringBuilder();
        for (DType d : DType.values()) {
            if (d != DType.STRING && !d.isLowPrecision()) sb.append(sb.isEmpty() ? "" : ", ").append(descr(d));
        }
        return sb.append(" (or '>' for big-endian)").toString();
    }

    private static void writeData(Tensor t, OutputStream out) throws IOException {
        Object data = t.data();
        int parts = t.dtype().isComplex() ? 2 : 1; // complex: re, im pairs written as 2n floats or doubles
        int n = t.shape().intSize() * parts;
        if (data instanceof byte[] a) {
            out.write(a, 0, n);
            return;
        }
        int size = t.dtype().byteSize() / parts;
        int perChunk = IO_CHUNK / size;
        ByteBuffer buf = ByteBuffer.allocate(Math.min(n, perChunk) * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < n; from += perChunk) {
            int len = Math.min(perChunk, n - from);
            buf.clear();
            switch (data) {
                case float[] a -> buf.asFloatBuffer().put(a, from, len);
                case double[] a -> buf.asDoubleBuffer().put(a, from, len);
                case int[] a -> buf.asIntBuffer().put(a, from, len);
                case long[] a -> buf.asLongBuffer().put(a, from, len);
                case short[] a -> buf.asShortBuffer().put(a, from, len);
                default -> throw new IllegalStateException();
            }
            out.write(buf.array(), 0, len * size);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a .npy file. */
    public static Tensor read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            return parse(path.toString(), size, (pos, dst) -> readFully(ch, pos, dst, path));
        }
    }

    private static void readFully(FileChannel ch, long pos, ByteBuffer dst, Path path) throws IOException {
        long p = pos;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, p);
            if (r < 0) throw new EOFException(path + ": file shrank while being read");
            p += r;
        }
    }

    /** Reads .npy data from a stream until its end (the stream is not closed). */
    public static Tensor read(InputStream in) throws IOException { return fromBytes("<stream>", in.readAllBytes()); }

    /** Parses .npy bytes. */
    public static Tensor fromBytes(byte[] bytes) throws IOException { return fromBytes("<bytes>", bytes); }

    private static Tensor fromBytes(String name, byte[] bytes) throws IOException {
        return parse(name, bytes.length, (pos, dst) -> dst.put(bytes, (int) pos, dst.remaining()));
    }

    /** Random access to the bytes being parsed: fills {@code dst} from {@code pos}; callers stay within size. */
    @FunctionalInterface
    private interface Source {
        void read(long pos, ByteBuffer dst) throws IOException;
    }

    private record Header(DType dtype, ByteOrder order, boolean fortran, int[] shape) {}

    private static Tensor parse(String name, long fileSize, Source src) throws IOException {
        if (fileSize < 10) {
            throw bad(name, "truncated: " + fileSize + " bytes, shorter than the 10-byte .npy preamble");
        }
        ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, fileSize)).order(ByteOrder.LITTLE_ENDIAN);
        src.read(0, pre);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) throw bad(name, "not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = pre.get(6) & 0xff, minor = pre.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw bad(name, "unsupported .npy format version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
        }
        int preamble = major == 1 ? 10 : 12;
        if (fileSize < preamble) {
            throw bad(name, "truncated: " + fileSize + " bytes, shorter than the " + preamble + "-byte preamble of "
                    + "format " + major + ".0");
        }
        long hlen = major == 1 ? pre.getShort(8) & 0xffffL : pre.getInt(8) & 0xffffffffL;
        if (preamble + hlen > fileSize) {
            throw bad(name, "header length " + hlen + " runs past the end of the file (" + fileSize + " bytes)");
        }
        if (hlen > MAX_HEADER) throw bad(name, "header length " + hlen + " exceeds the limit of " + MAX_HEADER);
        ByteBuffer hb = ByteBuffer.allocate((int) hlen);
        src.read(preamble, hb);
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(name, text);

        long count = 1;
        for (int d : h.shape) count *= d; // each dim < 2^31 and the product is checked per step below
        long dataBytes = count * h.dtype.byteSize();
        long available = fileSize - preamble - hlen;
        if (dataBytes != available) {
            throw bad(name, (dataBytes > available ? "truncated: " : "size mismatch: ") + "shape "
                    + Shape.of(h.shape) + " of dtype " + h.dtype + " needs " + dataBytes + " data bytes but the file "
                    + "has " + available + " after the header");
        }
        int n = (int) count;
        Object data = Strided.allocate(h.dtype.storage(), n);
        readData(src, preamble + hlen, data, n, h.dtype, h.order);
        if (h.dtype == DType.BOOL) {
            byte[] b = (byte[]) data;
            for (int i = 0; i < n; i++) if (b[i] != 0) b[i] = 1;
        }
        Shape shape = Shape.of(h.shape);
        if (!h.fortran || shape.rank() < 2) return Tensor.wrap(h.dtype, shape, data);
        // Fortran order: axis 0 varies fastest. View the data with column-major strides and copy it to C order.
        int[] strides = new int[h.shape.length];
        int s = 1;
        for (int i = 0; i < strides.length; i++) {
            strides[i] = s;
            s *= Math.max(h.shape[i], 1);
        }
        Tensor flat = Tensor.wrap(h.dtype, Shape.of(n), data);
        return Tensor.view(flat, shape, 0, strides).dense();
    }

    private static void readData(Source src, long pos, Object data, int elements, DType dtype, ByteOrder order)
            throws IOException {
        int parts = dtype.isComplex() ? 2 : 1; // complex: re, im pairs read as 2n floats or doubles
        int n = elements * parts;
        int size = dtype.byteSize() / parts;
        int perChunk = IO_CHUNK / size;
        ByteBuffer buf = ByteBuffer.allocate(Math.min(n, perChunk) * size).order(order);
        for (int from = 0; from < n; from += perChunk) {
            int len = Math.min(perChunk, n - from);
            buf.clear().limit(len * size);
            src.read(pos + (long) from * size, buf);
            buf.flip();
            switch (data) {
                case float[] a -> buf.asFloatBuffer().get(a, from, len);
                case double[] a -> buf.asDoubleBuffer().get(a, from, len);
                case int[] a -> buf.asIntBuffer().get(a, from, len);
                case long[] a -> buf.asLongBuffer().get(a, from, len);
                case byte[] a -> buf.get(a, from, len);
                case short[] a -> buf.asShortBuffer().get(a, from, len);
                default -> throw new IllegalStateException();
            }
        }
    }

    // ---------------------------------------------------------------- header parsing

    /**
     * Parses the header dict: exactly the keys descr (a string), fortran_order (True/False) and shape (a tuple of
     * non-negative ints), in any order, then spaces and a final newline. Nothing else is accepted.
     */
    private static Header parseHeader(String name, String text) throws IOException {
        if (!text.endsWith("\n")) throw bad(name, "header does not end with a newline");
        HeaderLexer lx = new HeaderLexer(name, text);
        Map<String, Object> dict = new LinkedHashMap<>();
        lx.expect('{');
        while (!lx.peekIs('}')) {
            String key = lx.string();
            lx.expect(':');
            Object value = lx.value();
            if (dict.put(key, value) != null) throw bad(name, "header repeats the key '" + key + "'");
            if (!lx.peekIs('}')) lx.expect(',');
        }
        lx.expect('}');
        lx.end();
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw bad(name, "header has an unexpected key '" + key + "' (expected descr, fortran_order, shape)");
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw bad(name, dict.containsKey("descr") ? "header 'descr' must be a string such as '<f4', got "
                    + describe(dict.get("descr")) + " (structured dtypes are not supported)" : "header lacks 'descr'");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw bad(name, dict.containsKey("fortran_order") ? "header 'fortran_order' must be True or False, got "
                    + describe(dict.get("fortran_order")) : "header lacks 'fortran_order'");
        }
        if (!(dict.get("shape") instanceof long[] dims)) {
            throw bad(name, dict.containsKey("shape") ? "header 'shape' must be a tuple of ints, got "
                    + describe(dict.get("shape")) : "header lacks 'shape'");
        }
        int[] shape = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > MAX_ELEMENTS) throw bad(name, "shape dimension " + dims[i] + " is too large");
            shape[i] = (int) dims[i];
            count *= shape[i];
            if (count > MAX_ELEMENTS) {
                throw bad(name, "shape " + Shape.of(dims) + " has more elements than one tensor holds ("
                        + MAX_ELEMENTS + ")");
            }
        }
        String code = descr;
        ByteOrder order = ByteOrder.nativeOrder();
        if (!code.isEmpty() && "<>|=".indexOf(code.charAt(0)) >= 0) {
            char c = code.charAt(0);
            if (c == '<') order = ByteOrder.LITTLE_ENDIAN;
            else if (c == '>') order = ByteOrder.BIG_ENDIAN;
            code = code.substring(1);
        }
        DType dtype = dtypeOfDescr(code);
        if (dtype == null) throw bad(name, "unsupported dtype descr '" + descr + "'; supported: " + SUPPORTED);
        return new Header(dtype, order, fortran, shape);
    }

    private static String describe(Object v) {
        if (v instanceof long[] a) return java.util.Arrays.toString(a).replace('[', '(').replace(']', ')');
        if (v instanceof String s) return "'" + s + "'";
        return String.valueOf(v);
    }

    /** A tokenizer for the tiny Python-literal language of .npy headers. */
    private static final class HeaderLexer {
        private final String name;
        private final String s;
        private int i;

        HeaderLexer(String name, String s) {
            this.name = name;
            this.s = s;
        }

        private void skipSpace() { while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++; }

        boolean peekIs(char c) {
            skipSpace();
            return i < s.length() && s.charAt(i) == c;
        }

        void expect(char c) throws IOException {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
            i++;
        }

        /** After the closing brace only spaces and the final newline may follow. */
        void end() throws IOException {
            skipSpace();
            if (i != s.length() - 1) throw error("unexpected text after the header dict");
        }

        String string() throws IOException {
            skipSpace();
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) throw error("expected a quoted string");
            char quote = s.charAt(i++);
            int start = i;
            while (i < s.length() && s.charAt(i) != quote) {
                if (s.charAt(i) == '\\' || s.charAt(i) == '\n') throw error("unsupported character in a string");
                i++;
            }
            if (i >= s.length()) throw error("unterminated string");
            return s.substring(start, i++);
        }

        Object value() throws IOException {
            skipSpace();
            if (i >= s.length()) throw error("expected a value");
            char c = s.charAt(i);
            if (c == '\'' || c == '"') return string();
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '(') return tuple();
            if (c == '[') throw error("lists are not supported (structured dtypes cannot be read)");
            if (c >= '0' && c <= '9') return integer();
            throw error("unsupported value");
        }

        /** {@code ()}, {@code (3,)}, {@code (2, 3)}, {@code (2, 3,)}; Python's {@code (3)} is an int, not a tuple. */
        long[] tuple() throws IOException {
            expect('(');
            List<Long> items = new ArrayList<>();
            boolean trailingComma = false;
            while (!peekIs(')')) {
                items.add(integer());
                trailingComma = false;
                if (!peekIs(')')) {
                    expect(',');
                    trailingComma = true;
                }
            }
            expect(')');
            if (items.size() == 1 && !trailingComma) throw error("'(n)' is an int, a 1-tuple is written '(n,)'");
            long[] out = new long[items.size()];
            for (int k = 0; k < out.length; k++) out[k] = items.get(k);
            return out;
        }

        long integer() throws IOException {
            skipSpace();
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) i++;
            if (i == start) throw error("expected a non-negative integer");
            if (i - start > 18) throw error("integer " + s.substring(start, i) + " is too large");
            long v = Long.parseLong(s.substring(start, i));
            if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 long literals, as old NumPy wrote them
            return v;
        }

        private IOException error(String what) {
            String shown = s.strip();
            if (shown.length() > 120) shown = shown.substring(0, 120) + "...";
            return bad(name, "malformed header: " + what + " at character " + i + " of \"" + shown + "\"");
        }
    }

    private static IOException bad(String name, String problem) { return new IOException(name + ": " + problem); }
}
