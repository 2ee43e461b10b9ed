package org.nabla.distributed.rpc;

import org.nabla.distributed.DistributedOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.TensorBytes;

/**
 * How a tensor travels between processes: a header, then its elements as {@link TensorBytes} writes them (dense,
 * row-major, little-endian), never one protobuf field per element.
 *
 * <pre>
 *   bytes 0-3   magic "NTW1" (the version is the last byte)
 *   int32       dtype code ({@link DType#fileCode()}, the table graph files and checkpoints use)
 *   int32       rank (0 to {@value #MAX_RANK})
 *   int64 x rank  the dimensions
 *   ...         elements x dtype size bytes
 * </pre>
 *
 * All numbers are little-endian. Decoding checks every field, and that the element bytes the header announces are
 * exactly the bytes present and within the caller's limit, before it allocates the tensor: a message claiming a huge
 * shape is refused, never allocated.
 */
public final class TensorWire {
    public static final byte[] MAGIC = {'N', 'T', 'W', '1'};
    /** Tensors of more dimensions are refused (a corrupt rank must not make the decoder read a huge header). */
    public static final int MAX_RANK = 64;

    private TensorWire() {}

    /** The header's size for a tensor of this rank. */
    static int headerBytes(int rank) { return 4 + 4 + 4 + 8 * rank; }

    /** The encoding of concrete tensor {@code t} (copied to the host first when it lives on another device). */
    public static byte[] encode(Tensor t) {
        if (t.isSymbolic()) throw new IllegalArgumentException("cannot send graph tensor " + t.symbol());
        Tensor host = t.to(org.nabla.device.CpuDevice.INSTANCE);
        Shape shape = host.shape();
        long bytes = (long) headerBytes(shape.rank()) + TensorBytes.byteCount(host);
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensor " + host.spec() + " is " + bytes + " bytes, too large for one "
                    + "message (at most 2 GiB)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(host.dtype().fileCode()).putInt(shape.rank());
        for (int i = 0; i < shape.rank(); i++) b.putLong(shape.dim(i));
        TensorBytes.put(b, host);
        return b.array();
    }

    /** Decodes {@code bytes} (exactly one encoded tensor) whose elements may take at most {@code maxBytes}. */
    public static Tensor decode(byte[] bytes, long maxBytes) { return decode(ByteBuffer.wrap(bytes), maxBytes); }

    /** Decodes the remaining bytes of {@code b}, which must be exactly one encoded tensor. */
    public static Tensor decode(ByteBuffer b, long maxBytes) {
        ByteBuffer in = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < headerBytes(0)) throw bad("it is " + in.remaining() + " bytes, shorter than a header");
        for (byte m : MAGIC) {
            if (in.get() != m) throw bad("it does not start with the magic bytes \"NTW1\"");
        }
        int code = in.getInt();
        DType dtype;
        try {
            dtype = DType.fromFileCode(code);
        } catch (IllegalArgumentException e) {
            throw bad("unknown dtype code " + code);
        }
        int rank = in.getInt();
        if (rank < 0 || rank > MAX_RANK) throw bad("rank " + rank + " is not between 0 and " + MAX_RANK);
        if (in.remaining() < 8L * rank) throw bad("the header announces rank " + rank + " but is cut short");
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.getLong();
            if (dims[i] < 0) throw bad("dimension " + i + " is " + dims[i]);
        }
        // the element count, saturating past 2^31 (a 0 dimension makes any shape empty)
        long elements = 1;
        for (long d : dims) {
            if (d == 0 || elements == 0) elements = 0;
            else if (elements <= Integer.MAX_VALUE) elements *= Math.min(d, 1L << 31);  // at most 2^62: no overflow
        }
        if (elements > Integer.MAX_VALUE) {
            throw bad("the shape " + java.util.Arrays.toString(dims) + " has more than 2^31 elements");
        }
        long dataBytes = dtype == DType.STRING ? in.remaining() : elements * dtype.byteSize(); // strings: length-prefixed
        if (dataBytes > maxBytes) {
            throw new TensorTooLargeException("tensor message: a " + dtype + " tensor of shape "
                    + java.util.Arrays.toString(dims) + " is " + dataBytes + " bytes, more than the limit of "
                    + maxBytes + " (DistributedOptions.maxTensorBytes)");
        }
        if (in.remaining() != dataBytes || !TensorBytes.plausibleByteCount(dtype, elements, dataBytes)) {
            throw bad("the header announces " + dataBytes + " element bytes (" + dtype + " "
                    + java.util.Arrays.toString(dims) + ") but " + in.remaining() + " follow");
        }
        try {
            Tensor t = TensorBytes.get(in, dtype, Shape.of(dims));
            if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " bytes follow the elements");
            return t;
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("malformed tensor message: " + why);
    }

    /** A tensor (or a claimed tensor size) above the receiver's limit. */
    public static final class TensorTooLargeException extends IllegalArgumentException {
        public TensorTooLargeException(String message) { super(message); }
    }

    /**
     * Reassembles a tensor streamed in chunks (RecvTensor): the first chunk announces the total size, which is checked
     * against the limit; later chunks may not go past it, and the stream must end exactly at it. The buffer starts at
     * {@link #FIRST_BUFFER_BYTES} at most and doubles as bytes arrive, so a sender that announces a large size and
     * sends little makes the receiver allocate little. Not thread-safe (one stream's observer feeds it).
     */
    public static final class Assembler {
        /** The most allocated on the word of the first chunk alone; the rest is allocated as bytes come. */
        static final int FIRST_BUFFER_BYTES = 16 << 20;
        private final long maxBytes;
        private byte[] buffer;
        /** The size the stream announced. */
        private int total;
        private int filled;

        /** An assembler for one tensor whose elements may take at most {@code maxTensorBytes}. */
        public Assembler(long maxTensorBytes) { this.maxBytes = maxTensorBytes; }

        /** Adds the next chunk; {@code totalBytes} is read from the first chunk only. */
        public void add(long totalBytes, ByteBuffer chunk) {
            if (buffer == null) {
                long limit = maxBytes + headerBytes(MAX_RANK);
                if (totalBytes <= 0) {
                    throw bad("the first chunk announces " + totalBytes + " bytes (expected the tensor's size)");
                }
                if (totalBytes > limit || totalBytes > Integer.MAX_VALUE - 16) {
                    throw new TensorTooLargeException("tensor message: the stream announces " + totalBytes
                            + " bytes, more than the limit of " + Math.min(limit, Integer.MAX_VALUE - 16)
                            + " (DistributedOptions.maxTensorBytes " + maxBytes + " plus the header)");
                }
                total = (int) totalBytes;
                buffer = new byte[Math.min(total, FIRST_BUFFER_BYTES)];
            }
            int n = chunk.remaining();
            if (n > total - filled) {
                throw bad("the stream sends more than the " + total + " bytes it announced");
            }
            if (n > buffer.length - filled) {   // grow by doubling: at most one extra copy of what has arrived
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(total, Math.max(2L * buffer.length,
                        (long) filled + n)));
            }
            chunk.get(buffer, filled, n);
            filled += n;
        }

        /** The bytes allocated so far (tests check that a claim alone does not allocate). */
        int capacity() { return buffer == null ? 0 : buffer.length; }

        /** The tensor, once the stream has ended. */
        public Tensor finish() {
            if (buffer == null) throw bad("the stream ended before its first chunk");
            if (filled != total) {
                throw bad("the stream ended after " + filled + " of the " + total + " bytes it announced");
            }
            return decode(buffer, maxBytes);
        }
    }
}
