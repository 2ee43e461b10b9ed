package org.nabla.strings;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.OpException;
import org.nabla.storage.Strided;

/** CPU kernels of {@link StringOps}: loops over the byte strings of dense inputs. */
final class StringKernels {
    private StringKernels() {}

    static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        DType s = DType.STRING;
        r.register(StringOps.REDUCE_JOIN, cpu, s, StringKernels::reduceJoin);
        r.register(StringOps.STRING_JOIN, cpu, s, StringKernels::join);
        r.register(StringOps.STRING_SPLIT, cpu, s, StringKernels::split);
        r.register(StringOps.STRING_LOWER, cpu, s, ctx -> mapped(ctx, b -> caseMapped(ctx, b, true)));
        r.register(StringOps.STRING_UPPER, cpu, s, ctx -> mapped(ctx, b -> caseMapped(ctx, b, false)));
        r.register(StringOps.STRING_LENGTH, cpu, s, StringKernels::length);
        r.register(StringOps.SUBSTR, cpu, s, StringKernels::substr);
        r.register(StringOps.REGEX_FULL_MATCH, cpu, s, StringKernels::fullMatch);
        r.register(StringOps.REGEX_REPLACE, cpu, s, StringKernels::replace);
        r.register(StringOps.STRING_TO_NUMBER, cpu, s, StringKernels::toNumber);
        r.register(StringOps.AS_STRING, cpu, (DType) null, StringKernels::asString);
        r.register(StringOps.TO_HASH_BUCKET_STRONG, cpu, s, StringKernels::hashStrong);
        r.register(StringOps.TO_HASH_BUCKET_FAST, cpu, s, ctx -> {
            byte[][] in = strings(ctx.input(0));
            long buckets = ctx.attrs().getInt("numBuckets");
            long[] out = new long[in.length];
            for (int i = 0; i < in.length; i++) out[i] = Long.remainderUnsigned(FarmHash.fingerprint64(in[i]), buckets);
            return new Tensor[] {Tensor.wrap(DType.INT64, ctx.input(0).shape(), out)};
        });
    }

    private static Tensor[] hashStrong(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        long buckets = ctx.attrs().getInt("numBuckets");
        long k0 = ctx.attrs().getLong("key0"), k1 = ctx.attrs().getLong("key1");
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) out[i] = Long.remainderUnsigned(SipHash.hash(k0, k1, in[i]), buckets);
        return new Tensor[] {Tensor.wrap(DType.INT64, ctx.input(0).shape(), out)};
    }

    /**
     * The elements of a dense string tensor (kernels get dense inputs, which may be a prefix of a longer array: a
     * reshaped slice, say), exactly as many as the tensor holds.
     */
    private static byte[][] strings(Tensor t) {
        byte[][] a = (byte[][]) t.data();
        int n = t.shape().intSize();
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static Tensor stringsOf(Shape shape, byte[][] values) { return Tensor.wrap(DType.STRING, shape, values); }

    private static Tensor[] mapped(KernelContext ctx, java.util.function.UnaryOperator<byte[]> f) {
        byte[][] in = strings(ctx.input(0));
        byte[][] out = new byte[in.length][];
        for (int i = 0; i < in.length; i++) out[i] = f.apply(in[i]);
        return new Tensor[] {stringsOf(ctx.input(0).shape(), out)};
    }

    private static byte[] caseMapped(KernelContext ctx, byte[] b, boolean lower) {
        return ctx.attrs().getString("encoding").isEmpty() ? Utf8.asciiCase(b, lower) : Utf8.unicodeCase(b, lower);
    }

    private static byte[] concat(List<byte[]> parts, byte[] sep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) out.writeBytes(sep);
            out.writeBytes(parts.get(i));
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- joins

    private static Tensor[] reduceJoin(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int rank = x.rank();
        boolean[] reduced = StringOps.reducedAxes("ReduceJoin", rank, ctx.attrs().getInts("axes"));
        // Kept axes first, reduced axes last: each output element is then a run of consecutive dense elements.
        int[] dims = x.shape().dims(), strides = x.strides(), pd = new int[rank], ps = new int[rank];
        int k = 0, group = 1;
        for (int i = 0; i < rank; i++) if (!reduced[i]) { pd[k] = dims[i]; ps[k++] = strides[i]; }
        for (int i = 0; i < rank; i++) if (reduced[i]) { pd[k] = dims[i]; ps[k++] = strides[i]; group *= dims[i]; }
        byte[][] in = x.size() == 0 ? new byte[0][] : strings(Tensor.view(x, Shape.of(pd), x.offset(), ps).dense());
        Shape outShape = ctx.outputSpec(0).shape();
        int n = outShape.intSize();
        byte[] sep = Utf8.encode(ctx.attrs().getString("separator"));
        byte[][] out = new byte[n][];
        for (int o = 0; o < n; o++) {
            List<byte[]> parts = new ArrayList<>(group);
            for (int j = 0; j < group; j++) parts.add(in[o * group + j]);
            out[o] = concat(parts, sep);
        }
        return new Tensor[] {stringsOf(outShape, out)};
    }

    private static Tensor[] join(KernelContext ctx) {
        Shape shape = ctx.outputSpec(0).shape();
        int n = shape.intSize();
        Tensor[] inputs = ctx.inputs();
        byte[][][] cols = new byte[inputs.length][][];
        for (int i = 0; i < inputs.length; i++) cols[i] = strings(broadcast(inputs[i], shape));
        byte[] sep = Utf8.encode(ctx.attrs().getString("separator"));
        byte[][] out = new byte[n][];
        List<byte[]> parts = new ArrayList<>(inputs.length);
        for (int e = 0; e < n; e++) {
            parts.clear();
            for (byte[][] c : cols) parts.add(c[e]);
            out[e] = concat(parts, sep);
        }
        return new Tensor[] {stringsOf(shape, out)};
    }

    /** {@code t} broadcast to {@code shape} (NumPy rules, already checked by the shape function), dense. */
    private static Tensor broadcast(Tensor t, Shape shape) {
        if (t.shape().equals(shape)) return t;
        if (shape.size() == 0) return Tensor.wrap(DType.STRING, shape, new byte[0][]);
        int rank = shape.rank(), off = rank - t.rank();
        int[] ts = t.strides(), s = new int[rank];
        for (int i = 0; i < t.rank(); i++) s[off + i] = t.shape().dim(i) == shape.dim(off + i) ? ts[i] : 0;
        return Tensor.view(t, shape, t.offset(), s).dense();
    }

    // ---------------------------------------------------------------- split

    private static Tensor[] split(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        byte[] sep = Utf8.encode(ctx.attrs().getString("sep"));
        int maxsplit = ctx.attrs().getInt("maxsplit");
        List<byte[]> values = new ArrayList<>();
        long[] splits = new long[in.length + 1];
        for (int r = 0; r < in.length; r++) {
            if (sep.length == 0) splitWhitespace(in[r], maxsplit, values);
            else splitOn(in[r], sep, maxsplit, values);
            splits[r + 1] = values.size();
        }
        return new Tensor[] {stringsOf(Shape.of(values.size()), values.toArray(byte[][]::new)),
            Tensor.wrap(DType.INT64, Shape.of(splits.length), splits)};
    }

    /** Python's {@code bytes.split(sep, maxsplit)}: empty pieces kept, "" gives one empty piece. */
    private static void splitOn(byte[] s, byte[] sep, int maxsplit, List<byte[]> out) {
        int start = 0, cuts = 0;
        for (int i = 0; i + sep.length <= s.length && (maxsplit < 0 || cuts < maxsplit); ) {
            if (java.util.Arrays.equals(s, i, i + sep.length, sep, 0, sep.length)) {
                out.add(java.util.Arrays.copyOfRange(s, start, i));
                i += sep.length;
                start = i;
                cuts++;
            } else {
                i++;
            }
        }
        out.add(java.util.Arrays.copyOfRange(s, start, s.length));
    }

    /** Python's {@code bytes.split(None, maxsplit)}: runs of ASCII whitespace, no empty pieces. */
    private static void splitWhitespace(byte[] s, int maxsplit, List<byte[]> out) {
        int i = 0, cuts = 0, n = s.length;
        while (true) {
            while (i < n && Utf8.isAsciiSpace(s[i])) i++;
            if (i == n) return;
            if (maxsplit >= 0 && cuts == maxsplit) { // the rest, trailing whitespace kept (as Python's split)
                out.add(java.util.Arrays.copyOfRange(s, i, n));
                return;
            }
            int start = i;
            while (i < n && !Utf8.isAsciiSpace(s[i])) i++;
            out.add(java.util.Arrays.copyOfRange(s, start, i));
            cuts++;
        }
    }

    // ---------------------------------------------------------------- length and substr

    private static Tensor[] length(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        boolean chars = StringOps.unit("StringLength", ctx.attrs());
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) out[i] = chars ? Utf8.charCount(in[i]) : in[i].length;
        return new Tensor[] {Tensor.wrap(DType.INT32, ctx.input(0).shape(), out)};
    }

    private static Tensor[] substr(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        int[] pos = ctx.input(1).toIntArray(), len = ctx.input(2).toIntArray();
        boolean chars = StringOps.unit("Substr", ctx.attrs());
        byte[][] out = new byte[in.length][];
        for (int i = 0; i < in.length; i++) {
            byte[] s = in[i];
            int p = pos.length == 1 ? pos[0] : pos[i], l = len.length == 1 ? len[0] : len[i];
            int size = chars ? Utf8.charCount(s) : s.length;
            int start = p < 0 ? p + size : p;
            if (start < 0 || start > size) {
                throw new OpException("Substr", "pos " + p + " is out of range for a string of " + size
                        + (chars ? " characters" : " bytes") + " at index " + i);
            }
            if (l < 0) throw new OpException("Substr", "len " + l + " is negative at index " + i);
            int end = (int) Math.min((long) start + l, size);
            int a = chars ? Utf8.byteOffset(s, start) : start, b = chars ? Utf8.byteOffset(s, end) : end;
            out[i] = java.util.Arrays.copyOfRange(s, a, b);
        }
        return new Tensor[] {stringsOf(ctx.input(0).shape(), out)};
    }

    // ---------------------------------------------------------------- regular expressions

    private static Tensor[] fullMatch(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        Pattern p = Regexes.compile("StaticRegexFullMatch", ctx.attrs().getString("pattern"));
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (byte) (p.matcher(Utf8.decode(in[i])).matches() ? 1 : 0);
        return new Tensor[] {Tensor.wrap(DType.BOOL, ctx.input(0).shape(), out)};
    }

    private static Tensor[] replace(KernelContext ctx) {
        String op = "StaticRegexReplace";
        Pattern p = Regexes.compile(op, ctx.attrs().getString("pattern"));
        String rewrite = Regexes.rewrite(op, ctx.attrs().getString("rewrite"));
        boolean global = ctx.attrs().getBool("replaceGlobal");
        return mapped(ctx, b -> {
            Matcher m = p.matcher(Utf8.decode(b));
            try {
                return Utf8.encode(global ? m.replaceAll(rewrite) : m.replaceFirst(rewrite));
            } catch (IndexOutOfBoundsException e) {
                throw new OpException(op, "rewrite '" + ctx.attrs().getString("rewrite") + "' names a group the "
                        + "pattern does not have: " + e.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- numbers

    private static Tensor[] toNumber(KernelContext ctx) {
        byte[][] in = strings(ctx.input(0));
        DType type = ctx.attrs().getDType("outType");
        Object out = Strided.allocate(type.storage(), in.length);
        for (int i = 0; i < in.length; i++) {
            String text = Utf8.decode(in[i]);
            Object v = NumberText.parse(text, type);
            if (v == null) {
                throw new OpException("StringToNumber", "could not correctly convert string: '" + text + "' to "
                        + type + " (index " + i + ")");
            }
            switch (out) {
                case float[] a -> a[i] = (Float) v;
                case double[] a -> a[i] = (Double) v;
                case int[] a -> a[i] = (Integer) v;
                case long[] a -> a[i] = (Long) v;
                default -> throw new IllegalStateException();
            }
        }
        return new Tensor[] {Tensor.wrap(type, ctx.input(0).shape(), out)};
    }

    private static Tensor[] asString(KernelContext ctx) {
        Tensor x = ctx.input(0);
        NumberText.Format f = StringOps.format(ctx.attrs());
        int n = x.shape().intSize();
        byte[][] out = new byte[n][];
        DType d = x.dtype();
        Object data = x.data();
        for (int i = 0; i < n; i++) {
            String s;
            if (d == DType.STRING) s = Utf8.decode(((byte[][]) data)[i]);
            else if (d == DType.BOOL) s = ((byte[]) data)[i] != 0 ? "true" : "false";
            else if (d.isFloating()) s = NumberText.formatFloat(Strided.read(data, i, d), f);
            else if (d == DType.UINT64) s = NumberText.formatInteger(Long.toUnsignedString(((long[]) data)[i]), f);
            else s = NumberText.formatInteger(Long.toString(Strided.readLong(data, i, d)), f);
            out[i] = d == DType.STRING ? NumberText.padText(s, f) : Utf8.encode(s);
        }
        return new Tensor[] {stringsOf(x.shape(), out)};
    }
}
