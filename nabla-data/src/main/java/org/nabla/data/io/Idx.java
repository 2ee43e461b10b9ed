package org.nabla.data.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.AtomicFiles;

/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic {@code 0x00 0x00 <type> <ndims>}, {@code ndims}
 * big-endian int32 dimensions, then the elements, big-endian, row-major.
 *
 * <p>Reading accepts raw files and gzip files (recognised by their magic, not their name) and validates everything:
 * the magic, the element type, the dimensions, and that the data is exactly as long as the header says. The
 * header is untrusted: nothing is allocated beyond what the file actually delivers (a raw file's length is checked
 * up front; a gzip stream is read incrementally into a buffer that only grows as data arrives). Problems raise an
 * {@link IOException} that names the file and what is wrong.
 *
 * <p>Element types map to dtypes: ubyte to uint8, byte/short/int to int32, float to float32, double to float64.
 */
public final class Idx {
    /** The element types of the format, with their type byte. */
    public enum Type {
        /** Unsigned bytes (0x08), read as uint8. */
        UBYTE(0x08, 1, DType.UINT8),
        /** Signed bytes (0x09), read as int32. */
        BYTE(0x09, 1, DType.INT32),
        /** Big-endian 16-bit integers (0x0B), read as int32. */
        SHORT(0x0B, 2, DType.INT32),
        /** Big-endian 32-bit integers (0x0C), read as int32. */
        INT(0x0C, 4, DType.INT32),
        /** Big-endian 32-bit floats (0x0D), read as float32. */
        FLOAT(0x0D, 4, DType.FLOAT32),
        /** Big-endian 64-bit floats (0x0E), read as float64. */
        DOUBLE(0x0E, 8, DType.FLOAT64);

        final int code;
        final int size;
        final DType dtype;

        Type(int code, int size, DType dtype) {
            this.code = code;
            this.size = size;
            this.dtype = dtype;
        }

        /** The type byte in the magic number. */
        public int code() { return code; }

        /** The dtype of tensors read from this type. */
        public DType dtype() { return dtype; }

        static Type of(int code) {
            for (Type t : values()) if (t.code == code) return t;
            return null;
        }
    }

    static final String SUPPORTED = "0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double";
    /** A Java array holds at most this many bytes: the sanity cap on the data section. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    static final int MAX_RANK = 16;
    private static final int CHUNK = 1 << 20;

    private Idx() {}

    // ---------------------------------------------------------------- reading

    /** Reads an IDX file, raw or gzip-compressed. */
    public static Tensor read(Path path) throws IOException {
        String name = path.toString();
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (IOException e) {
            throw new IOException(name + ": cannot read the IDX file (" + e + ")", e);
        }
        try (InputStream file = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            file.mark(2);
            int b0 = file.read(), b1 = file.read();
            file.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(file, 1 << 16)) {
                    return read(gz, -1, name + " (gzip)");
                } catch (EOFException | ZipException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith(name)) throw e;
                    throw new IOException(name + ": corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
                }
            }
            return read(file, fileSize, name);
        }
    }

    /**
     * Reads one IDX tensor from {@code in} (not closed), which must end right after the data. {@code knownSize} is
     * the stream's total length when known (a raw file), else -1; {@code name} is used in error messages.
     */
    public static Tensor read(InputStream in, long knownSize, String name) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) throw new IOException(name + ": truncated: the file has " + got + " bytes, too short for the "
                + "4-byte IDX magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(String.format("%s: wrong magic number 0x%02X%02X%02X%02X: not an IDX file (an IDX "
                    + "file starts with 0x00 0x00 <type> <ndims>)", name, magic[0], magic[1], magic[2], magic[3]));
        }
        Type type = Type.of(magic[2] & 0xff);
        if (type == null) throw new IOException(String.format("%s: unknown IDX element type 0x%02X (supported: %s)",
                name, magic[2] & 0xff, SUPPORTED));
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > MAX_RANK) throw new IOException(name + ": the IDX header declares " + rank
                + " dimensions; expected 1 to " + MAX_RANK);
        byte[] header = new byte[4 * rank];
        got = in.readNBytes(header, 0, header.length);
        if (got < header.length) throw new IOException(name + ": truncated: the file ends inside the header ("
                + rank + " dimensions need " + header.length + " bytes after the magic, found " + got + ")");
        ByteBuffer hb = ByteBuffer.wrap(header);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long d = hb.getInt() & 0xFFFFFFFFL;
            if (d > Integer.MAX_VALUE) throw new IOException(name + ": dimension " + i + " is " + d + ", too large");
            dims[i] = (int) d;
            count = Math.min(count * d, Long.MAX_VALUE / 16); // saturate: checked against the cap below
        }
        long expected = count * type.size;
        String what = "shape " + Arrays.toString(dims) + " of " + type.name().toLowerCase() + " (" + expected
                + " bytes of data)";
        if (expected > MAX_DATA_BYTES) throw new IOException(name + ": the IDX header declares " + what
                + ", more than the " + MAX_DATA_BYTES + "-byte limit of one tensor");
        long headerSize = 4L + header.length;
        if (knownSize >= 0) {
            long available = knownSize - headerSize;
            if (available < expected) throw new IOException(name + ": truncated: the header declares " + what
                    + " but only " + available + " bytes follow the header");
            if (available > expected) throw new IOException(name + ": trailing garbage: " + (available - expected)
                    + " bytes after the data of " + what);
        }
        byte[] data = readExactly(in, (int) expected, name, what);
        if (in.read() >= 0) {
            long extra = 1 + in.skip(Long.MAX_VALUE);
            throw new IOException(name + ": trailing garbage: " + extra + " or more bytes after the data of " + what);
        }
        return decode(type, dims, data);
    }

    /** Reads {@code n} bytes, growing the buffer only as data arrives (the header's size is untrusted). */
    private static byte[] readExactly(InputStream in, int n, String name, String what) throws IOException {
        byte[] buf = new byte[Math.min(n, CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) throw new IOException(name + ": truncated: the header declares " + what + " but the data ends"
                    + " after " + filled + " bytes");
            filled += r;
        }
        return buf;
    }

    private static Tensor decode(Type type, int[] dims, byte[] data) {
        Shape shape = Shape.of(dims);
        int n = data.length / type.size;
        ByteBuffer bb = ByteBuffer.wrap(data); // big-endian by default, as IDX is
        return switch (type) {
            case UBYTE -> Tensor.wrap(DType.UINT8, shape, data);
            case BYTE -> {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) out[i] = data[i];
                yield Tensor.wrap(DType.INT32, shape, out);
            }
            case SHORT -> {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) out[i] = bb.getShort(2 * i);
                yield Tensor.wrap(DType.INT32, shape, out);
            }
            case INT -> {
                int[] out = new int[n];
                bb.asIntBuffer().get(out);
                yield Tensor.wrap(DType.INT32, shape, out);
            }
            case FLOAT -> {
                float[] out = new float[n];
                bb.asFloatBuffer().get(out);
                yield Tensor.wrap(DType.FLOAT32, shape, out);
            }
            case DOUBLE -> {
                double[] out = new double[n];
                bb.asDoubleBuffer().get(out);
                yield Tensor.wrap(DType.FLOAT64, shape, out);
            }
        };
    }

    // ---------------------------------------------------------------- writing

    /** The IDX type a tensor of {@code dtype} is written as by {@link #write(Tensor, Path)}. */
    public static Type typeFor(DType dtype) {
        return switch (dtype) {
            case UINT8, BOOL -> Type.UBYTE;
            case INT8 -> Type.BYTE;
            case INT16 -> Type.SHORT;
            case INT32, UINT16, UINT32 -> Type.INT; // uint32 values above 2^31 - 1 are rejected by write
            case FLOAT32, FLOAT16, BFLOAT16 -> Type.FLOAT; // 16-bit floats widen exactly
            case FLOAT64 -> Type.DOUBLE;
            case INT64, UINT64 -> throw new IllegalArgumentException("IDX has no 64-bit integer type; cast the "
                    + dtype + " tensor to int32 first");
            case STRING -> throw new IllegalArgumentException("IDX holds numbers only, not strings");
            case COMPLEX64, COMPLEX128 -> throw new IllegalArgumentException("IDX has no complex type; write the "
                    + "real and imaginary parts (Ops.real, Ops.imag) as two files");
            default -> throw new IllegalArgumentException("IDX has no " + dtype + " type; cast the tensor to "
                    + "float32 first");
        };
    }

    /** Writes {@code t} in its natural IDX type ({@link #typeFor}); gzip-compressed when the name ends in .gz. */
    public static void write(Tensor t, Path path) throws IOException { write(t, path, typeFor(t.dtype())); }

    /**
     * Writes {@code t} as IDX elements of {@code type} atomically (a temporary file in the same directory, flushed,
     * then renamed over {@code path}); gzip-compressed when the file name ends in {@code .gz}. Values must fit the
     * type (integers are range-checked, floating-point values are not rounded to integer types).
     */
    public static void write(Tensor t, Path path, Type type) throws IOException {
        byte[] bytes = encode(t, type);
        boolean gzip = path.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(path, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16);
                out.write(bytes);
                if (out instanceof GZIPOutputStream g) g.finish();
                out.flush();
            }
        });
    }

    /** The complete IDX bytes (header and data) of {@code t} as {@code type}. */
    public static byte[] encode(Tensor t, Type type) {
        if (t.isSymbolic()) throw new IllegalArgumentException("Idx.write: " + t.spec() + " is a graph tensor");
        if (t.rank() < 1 || t.rank() > MAX_RANK) throw new IllegalArgumentException("Idx.write: IDX holds tensors of "
                + "rank 1 to " + MAX_RANK + ", got shape " + t.shape());
        long n = t.size();
        if (n * type.size + 4 + 4L * t.rank() > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("Idx.write: " + t.spec() + " is too large for one IDX file");
        }
        if (type.dtype.isFloating() != t.dtype().isFloating()) {
            throw new IllegalArgumentException("Idx.write: cannot write a " + t.dtype() + " tensor as IDX " + type.name()
                    .toLowerCase() + " (cast it first)");
        }
        ByteBuffer bb = ByteBuffer.allocate((int) (4 + 4L * t.rank() + n * type.size));
        bb.put((byte) 0).put((byte) 0).put((byte) type.code).put((byte) t.rank());
        for (int d : t.shape().dims()) bb.putInt(d);
        switch (type) {
            case FLOAT -> { for (float v : t.toFloatArray()) bb.putFloat(v); }
            case DOUBLE -> { for (double v : t.toDoubleArray()) bb.putDouble(v); }
            default -> {
                long[] v = t.dtype() == DType.UINT8 || t.dtype() == DType.BOOL ? unsigned(t.toByteArray()) : t.toLongArray();
                long lo = type == Type.UBYTE ? 0 : type == Type.BYTE ? Byte.MIN_VALUE : type == Type.SHORT
                        ? Short.MIN_VALUE : Integer.MIN_VALUE;
                long hi = type == Type.UBYTE ? 255 : type == Type.BYTE ? Byte.MAX_VALUE : type == Type.SHORT
                        ? Short.MAX_VALUE : Integer.MAX_VALUE;
                for (int i = 0; i < v.length; i++) {
                    if (v[i] < lo || v[i] > hi) throw new IllegalArgumentException("Idx.write: element " + i + " = "
                            + v[i] + " does not fit IDX " + type.name().toLowerCase() + " [" + lo + ", " + hi + "]");
                    switch (type) {
                        case UBYTE, BYTE -> bb.put((byte) v[i]);
                        case SHORT -> bb.putShort((short) v[i]);
                        default -> bb.putInt((int) v[i]);
                    }
                }
            }
        }
        return bb.array();
    }

    private static long[] unsigned(byte[] b) {
        long[] out = new long[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
        return out;
    }
}
