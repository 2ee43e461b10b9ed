package org.nabla.ragged;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;

/**
 * A tensor whose rows have different lengths (TensorFlow's {@code tf.RaggedTensor} with one ragged dimension): the
 * rows' values laid end to end ({@code values}, {@code [n, ...]}; inner dimensions are uniform) and the int64
 * {@code rowSplits} {@code [nrows + 1]}, row r being {@code values[rowSplits[r] : rowSplits[r + 1]]}. Its shape is
 * {@code [nrows, (ragged), ...]}. Element-wise maps, row reductions and padding run as ops, eagerly or traced, and
 * pass gradients to the values; gathering, concatenating and masking rows compute the new splits in Java, so they
 * need concrete row splits.
 * <pre>{@code
 * RaggedTensor r = RaggedTensor.of(new float[][] {{1, 2, 3}, {}, {4, 5}});
 * Tensor sums = r.reduceSum();        // [6, 0, 9]
 * Tensor padded = r.toTensor();       // [[1, 2, 3], [0, 0, 0], [4, 5, 0]]
 * }</pre>
 */
public final class RaggedTensor {
    private final Tensor values;
    private final Tensor rowSplits;

    private RaggedTensor(Tensor values, Tensor rowSplits) {
        this.values = values;
        this.rowSplits = rowSplits;
    }

    /** Rows {@code values[splits[r] : splits[r + 1]]}; concrete splits are checked (from 0, not decreasing, to n). */
    public static RaggedTensor fromRowSplits(Tensor values, Tensor rowSplits) {
        if (values.shape().rank() < 1) {
            throw new IllegalArgumentException("RaggedTensor: values need a leading value dimension, got "
                    + values.shape());
        }
        if (rowSplits.dtype() != DType.INT64 || rowSplits.shape().rank() != 1) {
            throw new IllegalArgumentException("RaggedTensor: rowSplits must be an int64 vector, got "
                    + rowSplits.dtype() + rowSplits.shape());
        }
        if (!rowSplits.isSymbolic() && !values.isSymbolic()) {
            long[] s = rowSplits.toLongArray();
            long n = values.shape().dim(0);
            boolean ok = s.length > 0 && s[0] == 0 && s[s.length - 1] == n;
            for (int i = 1; ok && i < s.length; i++) ok = s[i] >= s[i - 1];
            if (!ok) {
                throw new IllegalArgumentException("RaggedTensor: rowSplits must start at 0, never decrease and end "
                        + "at the number of values " + n + ", got " + Arrays.toString(s));
            }
        }
        return new RaggedTensor(values, rowSplits);
    }

    /** Rows of the given lengths, taking the values in order. */
    public static RaggedTensor fromRowLengths(Tensor values, long... lengths) {
        long[] s = new long[lengths.length + 1];
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] < 0) throw new IllegalArgumentException("RaggedTensor: negative row length " + lengths[r]);
            s[r + 1] = s[r] + lengths[r];
        }
        return fromRowSplits(values, splitsTensor(s));
    }

    /** Value i goes to row {@code rowIds[i]} (ids sorted ascending, as TensorFlow requires), in {@code nrows} rows. */
    public static RaggedTensor fromValueRowIds(Tensor values, long[] rowIds, int nrows) {
        long[] lengths = new long[nrows];
        for (int i = 0; i < rowIds.length; i++) {
            if (rowIds[i] < 0 || rowIds[i] >= nrows || i > 0 && rowIds[i] < rowIds[i - 1]) {
                throw new IllegalArgumentException("RaggedTensor: value row ids must be sorted and in [0, " + nrows
                        + "), got " + Arrays.toString(rowIds));
            }
            lengths[(int) rowIds[i]]++;
        }
        return fromRowLengths(values, lengths);
    }

    /** Float32 rows from Java arrays of any lengths. */
    public static RaggedTensor of(float[][] rows) { return ofRows(rows, DType.FLOAT32); }

    /** Float64 rows from Java arrays of any lengths. */
    public static RaggedTensor of(double[][] rows) { return ofRows(rows, DType.FLOAT64); }

    /** Int32 rows from Java arrays of any lengths (token ids, for instance). */
    public static RaggedTensor of(int[][] rows) { return ofRows(rows, DType.INT32); }

    /** String rows from Java arrays of any lengths, each string encoded as UTF-8 (tokens, for instance). */
    public static RaggedTensor of(String[][] rows) {
        byte[][][] bytes = new byte[rows.length][][];
        for (int r = 0; r < rows.length; r++) {
            bytes[r] = new byte[rows[r].length][];
            for (int i = 0; i < rows[r].length; i++) {
                bytes[r][i] = rows[r][i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return ofRows(bytes, DType.STRING);
    }

    /** Rows given as Java arrays of {@code dtype}'s storage type, laid end to end. */
    private static RaggedTensor ofRows(Object[] rows, DType dtype) {
        long[] lengths = new long[rows.length];
        int n = 0;
        for (int r = 0; r < rows.length; r++) {
            lengths[r] = java.lang.reflect.Array.getLength(rows[r]);
            n += (int) lengths[r];
        }
        Object flat = org.nabla.storage.Strided.allocate(dtype.storage(), n);
        for (int r = 0, at = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, at, (int) lengths[r]);
            at += (int) lengths[r];
        }
        return fromRowLengths(Tensor.wrap(dtype, Shape.of(n), flat), lengths);
    }

    /**
     * The values of {@code data} ({@code [nrows, width, ...]}) where the boolean {@code mask} ({@code [nrows, width]})
     * is true, row by row (TensorFlow's {@code tf.ragged.boolean_mask}).
     */
    public static RaggedTensor booleanMask(Tensor data, Tensor mask) {
        if (mask.dtype() != DType.BOOL || mask.shape().rank() != 2 || data.shape().rank() < 2
                || mask.shape().dim(0) != data.shape().dim(0) || mask.shape().dim(1) != data.shape().dim(1)) {
            throw new IllegalArgumentException("RaggedTensor.booleanMask: mask must be bool [nrows, width] matching "
                    + "data's first two dimensions, got data " + data.dtype() + data.shape() + " and mask "
                    + mask.dtype() + mask.shape());
        }
        int rows = mask.shape().dim(0), width = mask.shape().dim(1);
        boolean[] keep = new boolean[rows * width];
        byte[] m = mask.toByteArray();
        List<Long> flatIndex = new ArrayList<>();
        long[] lengths = new long[rows];
        for (int i = 0; i < m.length; i++) {
            keep[i] = m[i] != 0;
            if (keep[i]) {
                flatIndex.add((long) i);
                lengths[i / width]++;
            }
        }
        int[] d = data.shape().dims();
        int[] flatDims = new int[d.length - 1];
        flatDims[0] = rows * width;
        System.arraycopy(d, 2, flatDims, 1, d.length - 2);
        Tensor flat = Ops.reshape(data, flatDims);
        long[] idx = flatIndex.stream().mapToLong(Long::longValue).toArray();
        Tensor values = Ops.gather(flat, Tensor.wrap(DType.INT64, Shape.of(idx.length), idx));
        return fromRowLengths(values, lengths);
    }

    private static Tensor splitsTensor(long[] s) { return Tensor.wrap(DType.INT64, Shape.of(s.length), s); }

    /** The rows' values end to end, {@code [n, ...]}. */
    public Tensor values() { return values; }

    /** int64 {@code [nrows + 1]}: where each row starts (and the last ends) in {@link #values()}. */
    public Tensor rowSplits() { return rowSplits; }

    /** The values' dtype. */
    public DType dtype() { return values.dtype(); }

    /** The number of rows (-1 when the splits are symbolic with an unknown length). */
    public int nrows() {
        int s = rowSplits.shape().dim(0);
        return s == Shape.UNKNOWN ? -1 : s - 1;
    }

    private long[] concreteSplits(String what) {
        if (rowSplits.isSymbolic()) {
            throw new IllegalStateException("RaggedTensor." + what + " needs concrete row splits (it computes new "
                    + "splits in Java); these are symbolic (inside a traced function)");
        }
        return rowSplits.toLongArray();
    }

    /** Each row's length, int64 {@code [nrows]}. */
    public Tensor rowLengths() {
        long[] s = concreteSplits("rowLengths");
        long[] l = new long[s.length - 1];
        for (int r = 0; r < l.length; r++) l[r] = s[r + 1] - s[r];
        return Tensor.wrap(DType.INT64, Shape.of(l.length), l);
    }

    /** The row of each value, int64 {@code [n]}. */
    public Tensor valueRowIds() {
        long[] s = concreteSplits("valueRowIds");
        long[] ids = new long[(int) s[s.length - 1]];
        for (int r = 0; r + 1 < s.length; r++) Arrays.fill(ids, (int) s[r], (int) s[r + 1], r);
        return Tensor.wrap(DType.INT64, Shape.of(ids.length), ids);
    }

    /** Row {@code r} as a dense tensor {@code [length, ...]}. */
    public Tensor row(int r) {
        long[] s = concreteSplits("row");
        if (r < 0 || r >= s.length - 1) throw new IndexOutOfBoundsException("row " + r + " of " + (s.length - 1));
        int[] begin = new int[values.shape().rank()], size = values.shape().dims();
        begin[0] = (int) s[r];
        size[0] = (int) (s[r + 1] - s[r]);
        return Ops.slice(values, begin, size);
    }

    /** The same rows with {@code f} applied to the values (an element-wise function keeps every row's length). */
    public RaggedTensor map(UnaryOperator<Tensor> f) {
        Tensor v = f.apply(values);
        if (!v.isSymbolic() && !values.isSymbolic() && v.shape().dim(0) != values.shape().dim(0)) {
            throw new IllegalArgumentException("RaggedTensor.map: the function changed the number of values from "
                    + values.shape().dim(0) + " to " + v.shape().dim(0) + "; use an element-wise function");
        }
        return new RaggedTensor(v, rowSplits);
    }

    /** The sum of each row, {@code [nrows, ...]} (0 for an empty row). */
    public Tensor reduceSum() { return Ops.run(RaggedOps.REDUCE_SUM, Attrs.EMPTY, values, rowSplits); }

    /** The maximum of each row, {@code [nrows, ...]} (-inf, or the dtype's minimum, for an empty row). */
    public Tensor reduceMax() { return Ops.run(RaggedOps.REDUCE_MAX, Attrs.EMPTY, values, rowSplits); }

    /** The mean of each row (floating values; NaN for an empty row, as 0 / 0). */
    public Tensor reduceMean() {
        Tensor lengths = Ops.run(RaggedOps.REDUCE_SUM, Attrs.EMPTY, Ops.onesLike(values), rowSplits);
        return Ops.div(reduceSum(), lengths);
    }

    /** The rows padded with zeros to the longest one: {@code [nrows, max length, ...]}. */
    public Tensor toTensor() { return toTensor(0); }

    /** The rows padded with {@code defaultValue} (converted to the dtype) to the longest one. */
    public Tensor toTensor(Number defaultValue) {
        Tensor dflt = Ops.cast(Tensors.scalar(defaultValue.doubleValue()), values.dtype());
        return Ops.run(RaggedOps.TO_TENSOR, Attrs.EMPTY, values, rowSplits, dflt);
    }

    /** String rows padded with {@code defaultValue} to the longest one: {@code [nrows, max length, ...]}. */
    public Tensor toTensor(String defaultValue) {
        if (values.dtype() != DType.STRING) {
            throw new IllegalArgumentException("RaggedTensor.toTensor: a string default for " + values.dtype()
                    + " values");
        }
        return Ops.run(RaggedOps.TO_TENSOR, Attrs.EMPTY, values, rowSplits, Tensors.scalar(defaultValue));
    }

    /** The rows at {@code rows}, in that order (repeats allowed). */
    public RaggedTensor gather(long... rows) {
        long[] s = concreteSplits("gather");
        List<Long> idx = new ArrayList<>();
        long[] lengths = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            long r = rows[i];
            if (r < 0 || r >= s.length - 1) {
                throw new IndexOutOfBoundsException("RaggedTensor.gather: row " + r + " of " + (s.length - 1));
            }
            for (long v = s[(int) r]; v < s[(int) r + 1]; v++) idx.add(v);
            lengths[i] = s[(int) r + 1] - s[(int) r];
        }
        long[] ix = idx.stream().mapToLong(Long::longValue).toArray();
        return fromRowLengths(Ops.gather(values, Tensor.wrap(DType.INT64, Shape.of(ix.length), ix)), lengths);
    }

    /** The rows of every tensor, one after another (axis 0); their values' dtypes and inner dimensions must agree. */
    public static RaggedTensor concat(RaggedTensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("RaggedTensor.concat: no tensors to join");
        List<Tensor> vals = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        for (RaggedTensor p : parts) {
            long[] s = p.concreteSplits("concat");
            for (int r = 0; r + 1 < s.length; r++) lengths.add(s[r + 1] - s[r]);
            vals.add(p.values);
        }
        return fromRowLengths(Ops.concat(vals, 0), lengths.stream().mapToLong(Long::longValue).toArray());
    }

    /** The rows of a string ragged tensor as nested Java lists of strings (UTF-8 decoded); needs concrete values. */
    public List<List<String>> toStringList() {
        long[] s = concreteSplits("toStringList");
        String[] v = values.toStringArray();
        int k = values.shape().rank() == 1 ? 1 : (int) (values.shape().size() / Math.max(1, values.shape().dim(0)));
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r + 1 < s.length; r++) {
            out.add(new ArrayList<>(Arrays.asList(v).subList((int) s[r] * k, (int) s[r + 1] * k)));
        }
        return out;
    }

    /** The rows as nested Java lists of boxed numbers (for tests and printing); needs concrete values. */
    public List<List<Number>> toList() {
        if (values.dtype() == DType.STRING) {
            throw new IllegalStateException("RaggedTensor.toList: the values are strings; use toStringList");
        }
        long[] s = concreteSplits("toList");
        double[] v = Ops.cast(values, DType.FLOAT64).toDoubleArray();
        int k = values.shape().rank() == 1 ? 1 : (int) (values.shape().size() / Math.max(1, values.shape().dim(0)));
        List<List<Number>> out = new ArrayList<>();
        for (int r = 0; r + 1 < s.length; r++) {
            List<Number> row = new ArrayList<>();
            for (long i = s[r] * k; i < s[r + 1] * k; i++) row.add(v[(int) i]);
            out.add(row);
        }
        return out;
    }

    @Override
    public String toString() {
        if (values.isSymbolic() || rowSplits.isSymbolic()) {
            return "RaggedTensor(" + dtype() + ", " + nrows() + " rows, symbolic)";
        }
        return "RaggedTensor(" + dtype() + ", " + (dtype() == DType.STRING ? toStringList() : toList()) + ")";
    }
}
