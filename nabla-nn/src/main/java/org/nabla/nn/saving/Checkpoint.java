package org.nabla.nn.saving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.io.AtomicFiles;
import org.nabla.io.TensorBytes;

/**
 * Checkpoints: named tensors (model weights, optimizer slots, step counters) in a versioned, checksummed binary file
 * (format version {@value #VERSION}, specified in docs/checkpoint-format.md). Writing is atomic; reading checks the
 * magic, version, the file's length, a CRC32C per entry and one over the whole file, and every length against the
 * bytes really present before allocating, so a truncated or corrupted file is an {@link IOException} naming the file
 * and the problem. Never Java serialization.
 */
public final class Checkpoint {
    /** The first 8 bytes of every checkpoint file. */
    static final byte[] MAGIC = "NABLACKP".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** The usual file name extension. */
    public static final String EXTENSION = ".nckpt";

    static final int HEADER_BYTES = 8 + 4 + 4 + 8;
    static final int CRC_BYTES = 4;
    /** The fewest bytes an entry takes: its length, name length, dtype, rank, data length and checksum. */
    private static final int MIN_ENTRY_BYTES = 4 + 4 + 1 + 4 + 8 + 4;
    private static final int MAX_RANK = 64;

    private Checkpoint() {}

    // ---------------------------------------------------------------- tensors

    /** Writes {@code namedValues} (in iteration order) to {@code file} atomically. */
    public static void save(Path file, Map<String, Tensor> namedValues) throws IOException {
        AtomicFiles.write(file, toBytes(namedValues));
    }

    /** Reads every entry of a checkpoint, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        return fromBytes(bytes, file.toString());
    }

    /** The bytes of a checkpoint file holding {@code namedValues}. */
    public static byte[] toBytes(Map<String, Tensor> namedValues) {
        if (namedValues == null) throw new IllegalArgumentException("Checkpoint.save: the values map is null");
        List<byte[]> entries = new ArrayList<>(namedValues.size());
        long total = HEADER_BYTES + CRC_BYTES;
        for (Map.Entry<String, Tensor> e : namedValues.entrySet()) {
            byte[] entry = entry(e.getKey(), e.getValue());
            entries.add(entry);
            total += entry.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Checkpoint.save: " + total + " bytes is more than a checkpoint file "
                    + "holds (2 GiB)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(entries.size()).putLong(total);
        for (byte[] entry : entries) b.put(entry);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** One entry: u32 bodyLength, body, u32 CRC32C(body). */
    private static byte[] entry(String name, Tensor t) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("Checkpoint.save: an entry name is empty");
        if (t == null) throw new IllegalArgumentException("Checkpoint.save: the value of '" + name + "' is null");
        if (t.isSymbolic()) {
            throw new IllegalArgumentException("Checkpoint.save: '" + name + "' is a graph tensor, not a value");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int n = t.shape().intSize();
        long dataBytes = TensorBytes.byteCount(t); // strings: a uint32 length before each element's bytes
        long body = 4L + nameBytes.length + 1 + 4 + 4L * t.rank() + 8 + dataBytes;
        if (body + 8 > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("Checkpoint.save: '" + name + "' (" + t.spec() + ") is too large");
        }
        ByteBuffer b = ByteBuffer.allocate((int) body + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) body);
        b.putInt(nameBytes.length).put(nameBytes);
        b.put((byte) t.dtype().fileCode());
        b.putInt(t.rank());
        for (int d : t.shape().dims()) b.putInt(d);
        b.putLong(dataBytes);
        TensorBytes.put(b, t);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 4, (int) body);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Reads the entries of checkpoint bytes; {@code source} names them in errors. */
    public static Map<String, Tensor> fromBytes(byte[] bytes, String source) throws IOException {
        return new Reader(bytes, source).read();
    }

    // ---------------------------------------------------------------- variables

    /** The current values of {@code variables} (eager variables: the process's resource manager). */
    public static Map<String, Tensor> values(Map<String, Variable> variables) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        ResourceManager rm = ResourceManager.eager();
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("variable '" + e.getKey() + "' is null");
            out.put(e.getKey(), rm.read(e.getValue().name()));
        }
        return out;
    }

    /** Saves the current values of {@code variables} under their map keys. */
    public static void saveVariables(Path file, Map<String, Variable> variables) throws IOException {
        save(file, values(variables));
    }

    /**
     * Assigns every variable the checkpoint's value stored under its key. Nothing is assigned unless the checkpoint
     * fits: the same names, and for each the same dtype and shape; otherwise the error says (for a checkpoint of
     * another model) which variables are missing, extra or different, and how.
     */
    public static void restore(Path file, Map<String, Variable> variables) throws IOException {
        Map<String, Tensor> values = load(file);
        checkMatches(file.toString(), values, variables);
        ResourceManager rm = ResourceManager.eager();
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            rm.assign(e.getValue().name(), values.get(e.getKey()));
        }
    }

    /** Fails unless {@code values} has exactly the variables' names, each of the variable's dtype and shape. */
    static void checkMatches(String source, Map<String, Tensor> values, Map<String, Variable> variables)
            throws IOException {
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(variables.keySet());
        missing.removeAll(values.keySet());
        TreeSet<String> extra = new TreeSet<>(values.keySet());
        extra.removeAll(variables.keySet());
        if (!missing.isEmpty()) problems.add("missing from the checkpoint: " + list(missing));
        if (!extra.isEmpty()) problems.add("in the checkpoint but not in the model: " + list(extra));
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            Tensor t = values.get(e.getKey());
            Variable v = e.getValue();
            if (t == null) continue;
            if (t.dtype() != v.dtype() || !t.shape().isCompatibleWith(v.shape())) {
                problems.add("variable '" + e.getKey() + "' is " + v.dtype() + v.shape() + " in the model but "
                        + t.dtype() + t.shape() + " in the checkpoint");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(source + ": checkpoint does not fit this model (saved from another model?): "
                    + String.join("; ", problems.size() > 12 ? problems.subList(0, 12) : problems)
                    + (problems.size() > 12 ? "; and " + (problems.size() - 12) + " more" : ""));
        }
    }

    private static String list(TreeSet<String> names) {
        List<String> first = new ArrayList<>(names).subList(0, Math.min(10, names.size()));
        return first.stream().map(s -> "'" + s + "'").toList()
                + (names.size() > 10 ? " and " + (names.size() - 10) + " more" : "");
    }

    // ---------------------------------------------------------------- reading

    /** Bounds-checked parser over the bytes of one file. */
    private static final class Reader {
        private final byte[] bytes;
        private final String source;
        private final ByteBuffer b;

        Reader(byte[] bytes, String source) {
            this.bytes = bytes;
            this.source = source;
            this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        Map<String, Tensor> read() throws IOException {
            if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0,
                    MAGIC.length)) {
                throw fail("not a Nabla checkpoint file (the first bytes are not the magic \"NABLACKP\")");
            }
            if (bytes.length < HEADER_BYTES + CRC_BYTES) {
                throw fail("truncated checkpoint: " + bytes.length + " bytes, shorter than the " + (HEADER_BYTES
                        + CRC_BYTES) + "-byte header and checksum");
            }
            b.position(MAGIC.length);
            int version = b.getInt();
            if (version != VERSION) {
                throw fail("unsupported checkpoint format version " + Integer.toUnsignedString(version)
                        + " (this build reads version " + VERSION + ")");
            }
            int count = b.getInt();
            long length = b.getLong();
            if (length != bytes.length) {
                throw fail(length > bytes.length ? "truncated checkpoint: the header says " + length + " bytes but "
                        + "the file has " + bytes.length : "corrupted checkpoint: the header says " + length
                        + " bytes but the file has " + bytes.length);
            }
            int stored = b.getInt(bytes.length - CRC_BYTES);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - CRC_BYTES);
            if ((int) crc.getValue() != stored) {
                String where = firstBadEntry(count);
                throw fail("corrupted checkpoint: checksum mismatch" + where + " (stored "
                        + Integer.toHexString(stored) + ", computed " + Integer.toHexString((int) crc.getValue())
                        + ")");
            }
            return entries(count);
        }

        private Map<String, Tensor> entries(int count) throws IOException {
            int end = bytes.length - CRC_BYTES;
            if (count < 0 || (long) count * MIN_ENTRY_BYTES > end - HEADER_BYTES) {
                throw fail("corrupted checkpoint: " + Integer.toUnsignedString(count) + " entries cannot fit in "
                        + bytes.length + " bytes");
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            b.position(HEADER_BYTES);
            for (int i = 0; i < count; i++) {
                int start = b.position();
                int bodyLength = b.getInt();
                if (bodyLength < MIN_ENTRY_BYTES - 8 || bodyLength > end - start - 8) {
                    throw fail("corrupted checkpoint: entry " + i + " claims " + Integer.toUnsignedString(bodyLength)
                            + " bytes, but " + (end - start - 8) + " remain");
                }
                int bodyEnd = start + 4 + bodyLength;
                CRC32C crc = new CRC32C();
                crc.update(bytes, start + 4, bodyLength);
                int stored = b.getInt(bodyEnd);
                String name = string(bodyEnd, i);
                if ((int) crc.getValue() != stored) throw fail("corrupted checkpoint: checksum mismatch in entry '"
                        + name + "'");
                Tensor t = tensor(name, bodyEnd);
                if (b.position() != bodyEnd) {
                    throw fail("corrupted checkpoint: entry '" + name + "' has " + (bodyEnd - b.position())
                            + " stray bytes");
                }
                if (out.put(name, t) != null) throw fail("corrupted checkpoint: entry '" + name + "' appears twice");
                b.position(bodyEnd + 4);
            }
            if (b.position() != end) {
                throw fail("corrupted checkpoint: " + (end - b.position()) + " stray bytes after the last entry");
            }
            return out;
        }

        /** After a whole-file checksum failure, the first entry whose own checksum fails, to say where. */
        private String firstBadEntry(int count) {
            try {
                int end = bytes.length - CRC_BYTES;
                int pos = HEADER_BYTES;
                for (int i = 0; i < count && pos + 8 <= end; i++) {
                    int len = b.getInt(pos);
                    if (len < 0 || len > end - pos - 8) return "";
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, pos + 4, len);
                    if ((int) crc.getValue() != b.getInt(pos + 4 + len)) {
                        b.position(pos + 4);
                        String name;
                        try {
                            name = "'" + string(pos + 4 + len, i) + "'";
                        } catch (IOException e) {
                            name = String.valueOf(i);
                        }
                        return " in entry " + name;
                    }
                    pos += len + 8;
                }
            } catch (RuntimeException e) {
                // best effort only: the checksum error is reported either way
            }
            return "";
        }

        private String string(int limit, int entry) throws IOException {
            int n = b.getInt();
            if (n <= 0 || n > limit - b.position()) {
                throw fail("corrupted checkpoint: entry " + entry + " has a name of " + Integer.toUnsignedString(n)
                        + " bytes");
            }
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, b.position(), n))
                        .toString();
                b.position(b.position() + n);
                return s;
            } catch (CharacterCodingException e) {
                throw fail("corrupted checkpoint: the name of entry " + entry + " is not valid UTF-8");
            }
        }

        private Tensor tensor(String name, int limit) throws IOException {
            if (limit - b.position() < 1 + 4 + 8) throw fail("corrupted checkpoint: entry '" + name + "' is cut short");
            DType dtype;
            try {
                dtype = DType.fromFileCode(b.get() & 0xff);
            } catch (IllegalArgumentException e) {
                throw fail("corrupted checkpoint: entry '" + name + "' has " + e.getMessage());
            }
            int rank = b.getInt();
            if (rank < 0 || rank > MAX_RANK || 4L * rank + 8 > limit - b.position()) {
                throw fail("corrupted checkpoint: entry '" + name + "' has rank " + Integer.toUnsignedString(rank));
            }
            int[] dims = new int[rank];
            long elements = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = b.getInt();
                if (dims[i] < 0) throw fail("corrupted checkpoint: entry '" + name + "' has dimension " + dims[i]);
                elements *= dims[i];
                if (elements > Integer.MAX_VALUE) {
                    throw fail("corrupted checkpoint: entry '" + name + "' has more than 2^31 elements");
                }
            }
            long dataBytes = b.getLong();
            if (!TensorBytes.plausibleByteCount(dtype, elements, dataBytes) || dataBytes > limit - b.position()) {
                throw fail("corrupted checkpoint: entry '" + name + "' (" + dtype + java.util.Arrays.toString(dims)
                        + ") claims " + dataBytes + " data bytes; expected " + (dtype == DType.STRING ? "at least "
                        + 4 * elements : String.valueOf(elements * dtype.byteSize())) + " and "
                        + (limit - b.position()) + " remain");
            }
            try {
                ByteBuffer data = b.slice(b.position(), (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
                Tensor t = TensorBytes.get(data, dtype, Shape.of(dims));
                if (data.hasRemaining()) throw new IllegalArgumentException(data.remaining() + " bytes left over");
                b.position(b.position() + (int) dataBytes);
                return t;
            } catch (IllegalArgumentException e) {
                throw fail("corrupted checkpoint: entry '" + name + "': " + e.getMessage());
            }
        }

        private IOException fail(String message) { return new IOException(source + ": " + message); }
    }
}
