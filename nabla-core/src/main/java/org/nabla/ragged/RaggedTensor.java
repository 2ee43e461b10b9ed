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
 * A tensor whose rows have different lengths (TensorFlow's {@code tf.RaggedTensor}): the
 * rows' values laid end to end ({@code values}, {@code [n, ...]}; inner dimensions are uniform) and the int64
 * {@code rowSplits} {@code [nrows + 1]}, row r being {@code values[rowSplits[r] : rowSplits[r + 1]]}. Its shape is
 * {@code [nrows, (ragged), ...]}. The values may be ragged themselves (a nested tensor of ragged rank 2 or more,
 * {@code [nrows, (ragged), (ragged), ...]}: {@link #fromNestedRowSplits}, {@link #raggedValues()},
 * {@link #flatValues()}). Element-wise maps, row reductions and padding run as ops, eagerly or traced, and
 * pass gradients to the values; gathering, concatenating and masking rows compute the new splits in Java, so they
 * need concrete row splits.
 * <pre>{@code
 * RaggedTensor r = RaggedTensor.of(new float[][] {{1, 2, 3}, {}, {4, 5}});
 * Tensor sums = r.reduceSum();        // [6, 0, 9]
 * Tensor padded = r.toTensor();       // [[1, 2, 3], [0, 0, 0], [4, 5, 0]]
 * }</pre>
 */
public final class RaggedTensor {
    /** This level's dense values, or null when they are ragged themselves ({@link #inner}). */
    private final Tensor values;
    /** The next ragged level (a nested ragged tensor), or null when the values are dense. */
    private final RaggedTensor inner;
    private final Tensor rowSplits;

    private RaggedTensor(Tensor values, RaggedTensor inner, Tensor rowSplits) {
        this.values = values;
        this.inner = inner;
        this.rowSplits = rowSplits;
    }

    /** Rows {@code values[splits[r] : splits[r + 1]]}; concrete splits are checked (from 0, not decreasing, to n). */
    public static RaggedTensor fromRowSplits(Tensor values, Tensor rowSplits) {
        if (values.shape().rank() < 1) {
            throw new IllegalArgumentException("RaggedTensor: values need a leading value dimension, got "
                    + values.shape());
        }
        checkSplits(rowSplits, values.isSymbolic() ? -1 : values.shape().dim(0), "values");
        return new RaggedTensor(values, null, rowSplits);
    }

    /**
     * A nested ragged tensor: rows {@code values[splits[r] : splits[r + 1]]} of the rows of {@code values}, so the
     * result has one more ragged dimension ({@code [nrows, (ragged), (ragged), ...]}).
     */
    public static RaggedTensor fromRowSplits(RaggedTensor values, Tensor rowSplits) {
        checkSplits(rowSplits, values.nrows(), "rows of the ragged values");
        return new RaggedTensor(null, values, rowSplits);
    }

    /** Checks concrete splits against {@code n} values (n &lt; 0: unknown, only the dtype and rank are checked). */
    private static void checkSplits(Tensor rowSplits, long n, String what) {
        if (rowSplits.dtype() != DType.INT64 || rowSplits.shape().rank() != 1) {
            throw new IllegalArgumentException("RaggedTensor: rowSplits must be an int64 vector, got "
                    + rowSplits.dtype() + rowSplits.shape());
        }
        if (rowSplits.isSymbolic() || n < 0) return;
        long[] s = rowSplits.toLongArray();
        boolean ok = s.length > 0 && s[0] == 0 && s[s.length - 1] == n;
        for (int i = 1; ok && i < s.length; i++) ok = s[i] >= s[i - 1];
        if (!ok) {
            throw new IllegalArgumentException("RaggedTensor: rowSplits must start at 0, never decrease and end "
                    + "at the number of " + what + " " + n + ", got " + Arrays.toString(s));
        }
    }

    /**
     * A tensor of ragged rank {@code nestedRowSplits.length} (TensorFlow's {@code from_nested_row_splits}): the
     * outermost splits first, the innermost ones indexing {@code flatValues}.
     */
    public static RaggedTensor fromNestedRowSplits(Tensor flatValues, Tensor... nestedRowSplits) {
        if (nestedRowSplits.length == 0) {
            throw new IllegalArgumentException("RaggedTensor.fromNestedRowSplits: give at least one row splits vector");
        }
        RaggedTensor r = fromRowSplits(flatValues, nestedRowSplits[nestedRowSplits.length - 1]);
        for (int i = nestedRowSplits.length - 2; i >= 0; i--) r = fromRowSplits(r, nestedRowSplits[i]);
        return r;
    }

    /** Rows of the given lengths, taking the values in order. */
    public static RaggedTensor fromRowLengths(Tensor values, long... lengths) {
        return fromRowSplits(values, splitsTensor(lengthsToSplits(lengths)));
    }

    /** Rows of the given lengths, taking the rows of the ragged {@code values} in order (one more ragged dimension). */
    public static RaggedTensor fromRowLengths(RaggedTensor values, long... lengths) {
        return fromRowSplits(values, splitsTensor(lengthsToSplits(lengths)));
    }

    private static long[] lengthsToSplits(long[] lengths) {
        long[] s = new long[lengths.length + 1];
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] < 0) throw new IllegalArgumentException("RaggedTensor: negative row length " + lengths[r]);
            s[r + 1] = s[r] + lengths[r];
        }
        return s;
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

    /** Float32 rows of rows (ragged rank 2), e.g. sentences of words given as their characters' features. */
    public static RaggedTensor of(float[][][] rows) {
        return fromRowLengths(of(Arrays.stream(rows).flatMap(Arrays::stream).toArray(float[][]::new)), lengths(rows));
    }

    /** Float64 rows of rows (ragged rank 2). */
    public static RaggedTensor of(double[][][] rows) {
        return fromRowLengths(of(Arrays.stream(rows).flatMap(Arrays::stream).toArray(double[][]::new)), lengths(rows));
    }

    /** Int32 rows of rows (ragged rank 2), e.g. documents of sentences of token ids. */
    public static RaggedTensor of(int[][][] rows) {
        return fromRowLengths(of(Arrays.stream(rows).flatMap(Arrays::stream).toArray(int[][]::new)), lengths(rows));
    }

    /** String rows of rows (ragged rank 2), e.g. documents of sentences of words. */
    public static RaggedTensor of(String[][][] rows) {
        return fromRowLengths(of(Arrays.stream(rows).flatMap(Arrays::stream).toArray(String[][]::new)), lengths(rows));
    }

    private static long[] lengths(Object[] rows) {
        long[] l = new long[rows.length];
        for (int r = 0; r < rows.length; r++) l[r] = java.lang.reflect.Array.getLength(rows[r]);
        return l;
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

    /**
     * The rows' values end to end, {@code [n, ...]}, of a tensor of ragged rank 1; a nested tensor's values are
     * ragged: {@link #raggedValues()}, and its innermost dense values {@link #flatValues()}.
     */
    public Tensor values() {
        if (inner != null) {
            throw new IllegalStateException("RaggedTensor.values: this tensor has ragged rank " + raggedRank()
                    + ", so its values are ragged: use raggedValues() or flatValues()");
        }
        return values;
    }

    /** The ragged values of a nested tensor (ragged rank 2 or more): its rows are rows of these rows. */
    public RaggedTensor raggedValues() {
        if (inner == null) {
            throw new IllegalStateException("RaggedTensor.raggedValues: this tensor has ragged rank 1, its values are "
                    + "dense: use values()");
        }
        return inner;
    }

    /** The innermost dense values, {@code [n, ...]} (the values of a tensor of ragged rank 1). */
    public Tensor flatValues() { return inner == null ? values : inner.flatValues(); }

    /** Every level's row splits, the outermost first (TensorFlow's {@code nested_row_splits}). */
    public List<Tensor> nestedRowSplits() {
        List<Tensor> all = new ArrayList<>();
        for (RaggedTensor r = this; r != null; r = r.inner) all.add(r.rowSplits);
        return all;
    }

    /** How many ragged dimensions there are: 1, or more for a nested tensor. */
    public int raggedRank() { return inner == null ? 1 : 1 + inner.raggedRank(); }

    /** The number of rows of this level's values (-1 when unknown in a traced function). */
    private long valueRows() {
        if (inner != null) return inner.nrows();
        return values.isSymbolic() ? -1 : values.shape().dim(0);
    }

    /** int64 {@code [nrows + 1]}: where each row starts (and the last ends) in {@link #values()}. */
    public Tensor rowSplits() { return rowSplits; }

    /** The values' dtype. */
    public DType dtype() { return flatValues().dtype(); }

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

    /** Row {@code r} as a dense tensor {@code [length, ...]} (ragged rank 1; else {@link #raggedRow}). */
    public Tensor row(int r) {
        values();   // refuses a nested tensor with the message
        long[] s = concreteSplits("row");
        if (r < 0 || r >= s.length - 1) throw new IndexOutOfBoundsException("row " + r + " of " + (s.length - 1));
        int[] begin = new int[values.shape().rank()], size = values.shape().dims();
        begin[0] = (int) s[r];
        size[0] = (int) (s[r + 1] - s[r]);
        return Ops.slice(values, begin, size);
    }

    /** Row {@code r} of a nested tensor as a ragged tensor (one ragged dimension fewer). */
    public RaggedTensor raggedRow(int r) {
        raggedValues();   // refuses a tensor of ragged rank 1 with the message
        long[] s = concreteSplits("raggedRow");
        if (r < 0 || r >= s.length - 1) throw new IndexOutOfBoundsException("row " + r + " of " + (s.length - 1));
        long[] rows = new long[(int) (s[r + 1] - s[r])];
        for (int i = 0; i < rows.length; i++) rows[i] = s[r] + i;
        return inner.gather(rows);
    }

    /**
     * The same rows with {@code f} applied to the (flat) values: an element-wise function keeps every row's length.
     */
    public RaggedTensor map(UnaryOperator<Tensor> f) {
        if (inner != null) return new RaggedTensor(null, inner.map(f), rowSplits);
        Tensor v = f.apply(values);
        if (!v.isSymbolic() && !values.isSymbolic() && v.shape().dim(0) != values.shape().dim(0)) {
            throw new IllegalArgumentException("RaggedTensor.map: the function changed the number of values from "
                    + values.shape().dim(0) + " to " + v.shape().dim(0) + "; use an element-wise function");
        }
        return new RaggedTensor(v, null, rowSplits);
    }

    /**
     * An element-wise function of two ragged tensors with the same rows at every level (TensorFlow's binary ops on
     * ragged tensors, e.g. {@code rt1 + rt2}): {@code f} gets both flat values; concrete splits must be equal.
     */
    public RaggedTensor combine(RaggedTensor other, java.util.function.BinaryOperator<Tensor> f) {
        List<Tensor> mine = nestedRowSplits(), theirs = other.nestedRowSplits();
        boolean same = mine.size() == theirs.size();
        for (int i = 0; same && i < mine.size(); i++) {
            Tensor a = mine.get(i), b = theirs.get(i);
            same = a == b || a.isSymbolic() || b.isSymbolic() || Arrays.equals(a.toLongArray(), b.toLongArray());
        }
        if (!same) {
            throw new IllegalArgumentException("RaggedTensor.combine: the tensors' rows differ (ragged ranks "
                    + raggedRank() + " and " + other.raggedRank() + ", splits " + describe(mine) + " and "
                    + describe(theirs) + "); element-wise operations need the same rows");
        }
        return map(v -> {
            Tensor w = f.apply(v, other.flatValues());
            if (!w.isSymbolic() && !v.isSymbolic() && w.shape().dim(0) != v.shape().dim(0)) {
                throw new IllegalArgumentException("RaggedTensor.combine: the function changed the number of values "
                        + "from " + v.shape().dim(0) + " to " + w.shape().dim(0) + "; use an element-wise function");
            }
            return w;
        });
    }

    private static String describe(List<Tensor> splits) {
        List<String> parts = new ArrayList<>();
        for (Tensor t : splits) parts.add(t.isSymbolic() ? "?" : Arrays.toString(t.toLongArray()));
        return String.join(" / ", parts);
    }

    /** The sum of each row, {@code [nrows, ...]} (0 for an empty row); ragged rank 1 (else {@link #reduceInnerSum}). */
    public Tensor reduceSum() { return Ops.run(RaggedOps.REDUCE_SUM, Attrs.EMPTY, values(), rowSplits); }

    /** The maximum of each row, {@code [nrows, ...]} (-inf, or the dtype's minimum, for an empty row); ragged rank 1. */
    public Tensor reduceMax() { return Ops.run(RaggedOps.REDUCE_MAX, Attrs.EMPTY, values(), rowSplits); }

    /** The mean of each row (floating values; NaN for an empty row, as 0 / 0); ragged rank 1. */
    public Tensor reduceMean() {
        Tensor lengths = Ops.run(RaggedOps.REDUCE_SUM, Attrs.EMPTY, Ops.onesLike(values()), rowSplits);
        return Ops.div(reduceSum(), lengths);
    }

    /**
     * Sums over the innermost ragged dimension of a nested tensor: {@code [a, (b), (c), ...]} becomes
     * {@code [a, (b), ...]} (TensorFlow's {@code reduce_sum} with {@code axis} = the ragged rank).
     */
    public RaggedTensor reduceInnerSum() { return reduceInner(RaggedTensor::reduceSum, "reduceInnerSum"); }

    /** Maximum over the innermost ragged dimension of a nested tensor (see {@link #reduceInnerSum}). */
    public RaggedTensor reduceInnerMax() { return reduceInner(RaggedTensor::reduceMax, "reduceInnerMax"); }

    /** Mean over the innermost ragged dimension of a nested tensor (see {@link #reduceInnerSum}). */
    public RaggedTensor reduceInnerMean() { return reduceInner(RaggedTensor::reduceMean, "reduceInnerMean"); }

    private RaggedTensor reduceInner(java.util.function.Function<RaggedTensor, Tensor> rowReduction, String what) {
        if (inner == null) {
            throw new IllegalStateException("RaggedTensor." + what + ": this tensor has ragged rank 1; reduce its "
                    + "rows with reduceSum/reduceMax/reduceMean");
        }
        return inner.inner == null ? new RaggedTensor(rowReduction.apply(inner), null, rowSplits)
                : new RaggedTensor(null, inner.reduceInner(rowReduction, what), rowSplits);
    }

    /** The rows padded with zeros to the longest one: {@code [nrows, max length, ...]}. */
    public Tensor toTensor() { return toTensor(0); }

    /** The rows padded with {@code defaultValue} (converted to the dtype) to the longest one. */
    public Tensor toTensor(Number defaultValue) {
        return padded(Ops.cast(Tensors.scalar(defaultValue.doubleValue()), dtype()));
    }

    /** Every level padded to its longest row with {@code dflt}: the inner levels first, then this one. */
    private Tensor padded(Tensor dflt) {
        Tensor dense = inner == null ? values : inner.padded(dflt);
        return Ops.run(RaggedOps.TO_TENSOR, Attrs.EMPTY, dense, rowSplits, dflt);
    }

    /** String rows padded with {@code defaultValue} to the longest one: {@code [nrows, max length, ...]}. */
    public Tensor toTensor(String defaultValue) {
        if (dtype() != DType.STRING) {
            throw new IllegalArgumentException("RaggedTensor.toTensor: a string default for " + dtype() + " values");
        }
        return padded(Tensors.scalar(defaultValue));
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
        if (inner != null) return fromRowLengths(inner.gather(ix), lengths);
        return fromRowLengths(Ops.gather(values, Tensor.wrap(DType.INT64, Shape.of(ix.length), ix)), lengths);
    }

    /**
     * The rows of every tensor, one after another (axis 0); their ragged ranks, values' dtypes and inner dimensions
     * must agree.
     */
    public static RaggedTensor concat(RaggedTensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("RaggedTensor.concat: no tensors to join");
        List<Tensor> vals = new ArrayList<>();
        List<RaggedTensor> inners = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        for (RaggedTensor p : parts) {
            if (p.raggedRank() != parts[0].raggedRank()) {
                throw new IllegalArgumentException("RaggedTensor.concat: ragged ranks differ: " + parts[0].raggedRank()
                        + " and " + p.raggedRank());
            }
            long[] s = p.concreteSplits("concat");
            for (int r = 0; r + 1 < s.length; r++) lengths.add(s[r + 1] - s[r]);
            if (p.inner != null) inners.add(p.inner);
            else vals.add(p.values);
        }
        long[] l = lengths.stream().mapToLong(Long::longValue).toArray();
        if (!inners.isEmpty()) return fromRowLengths(concat(inners.toArray(RaggedTensor[]::new)), l);
        return fromRowLengths(Ops.concat(vals, 0), l);
    }

    /** The rows of a string ragged tensor as nested Java lists of strings (UTF-8 decoded); needs concrete values. */
    public List<List<String>> toStringList() {
        values();   // ragged rank 1 only (else toNestedList)
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
        values();   // ragged rank 1 only (else toNestedList)
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

    /**
     * The rows as nested Java lists at any ragged rank: boxed doubles for numbers, strings for string values (a
     * ragged rank 1 tensor gives {@link #toList()} or {@link #toStringList()}); needs concrete values.
     */
    public List<?> toNestedList() {
        if (inner == null) return dtype() == DType.STRING ? toStringList() : toList();
        long[] s = concreteSplits("toNestedList");
        List<?> rows = inner.toNestedList();
        List<List<?>> out = new ArrayList<>();
        for (int r = 0; r + 1 < s.length; r++) out.add(new ArrayList<>(rows.subList((int) s[r], (int) s[r + 1])));
        return out;
    }

    @Override
    public String toString() {
        boolean symbolic = false;
        for (Tensor t : nestedRowSplits()) symbolic |= t.isSymbolic();
        if (flatValues().isSymbolic() || symbolic) {
            return "RaggedTensor(" + dtype() + ", " + nrows() + " rows, symbolic)";
        }
        return "RaggedTensor(" + dtype() + ", " + toNestedList() + ")";
    }
}
