package org.nabla.data;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.ragged.RaggedTensor;

/**
 * Stacks dataset elements into batches. CPU tensors are copied straight from their backing arrays into the batch's
 * array (one {@link System#arraycopy} per dense element), never through an op per element.
 */
public final class Batching {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Batching() {}

    /**
     * The default collate function of {@link Dataset#batch(int)}: stacks {@code Tensor} elements, or stacks
     * {@code Tensor[]} tuples component by component.
     */
    public static Object collate(List<?> items) {
        Object first = items.get(0);
        if (first instanceof Tensor) {
            List<Tensor> ts = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) ts.add(requireTensor(items.get(i), i));
            return stack(ts);
        }
        if (first instanceof Tensor[] tuple) {
            Tensor[] out = new Tensor[tuple.length];
            for (int c = 0; c < tuple.length; c++) {
                List<Tensor> column = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof Tensor[] t) || t.length != tuple.length) {
                        throw new IllegalArgumentException("batch: element " + i + " is not a tuple of " + tuple.length
                                + " tensors like element 0 (" + describe(items.get(i)) + ")");
                    }
                    column.add(requireTensor(t[c], i));
                }
                try {
                    out[c] = stack(column);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("batch: component " + c + " of the tuples: " + e.getMessage(), e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("batch: can stack Tensor or Tensor[] elements, got " + describe(first)
                + "; pass a collate function to batch(size, dropRemainder, collate) for other element types");
    }

    /**
     * The collate function of {@link Dataset#paddedBatch}: pads each tensor (or each component of {@code Tensor[]}
     * tuples) at the end of every dimension to the largest size in the batch, with {@code paddingValue}, then stacks.
     * The tensors must share dtype and rank.
     */
    public static Object collatePadded(List<?> items, double paddingValue) {
        Object first = items.get(0);
        if (first instanceof Tensor) {
            List<Tensor> ts = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) ts.add(requireTensor(items.get(i), i));
            return stack(padToLargest(ts, paddingValue));
        }
        if (first instanceof Tensor[] tuple) {
            Tensor[] out = new Tensor[tuple.length];
            for (int c = 0; c < tuple.length; c++) {
                List<Tensor> column = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof Tensor[] t) || t.length != tuple.length) {
                        throw new IllegalArgumentException("paddedBatch: element " + i + " is not a tuple of "
                                + tuple.length + " tensors like element 0 (" + describe(items.get(i)) + ")");
                    }
                    column.add(requireTensor(t[c], i));
                }
                try {
                    out[c] = stack(padToLargest(column, paddingValue));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("paddedBatch: component " + c + " of the tuples: "
                            + e.getMessage(), e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("paddedBatch: can pad Tensor or Tensor[] elements, got " + describe(first));
    }

    /** The tensors, each padded at the end of every dimension to the batch's largest size there. */
    static List<Tensor> padToLargest(List<Tensor> items, double paddingValue) {
        Tensor first = items.get(0);
        int rank = first.shape().rank();
        int[] max = new int[rank];
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            if (t.dtype() != first.dtype() || t.shape().rank() != rank) {
                throw new IllegalArgumentException("paddedBatch: element " + i + " is " + t.dtype() + " " + t.shape()
                        + " but element 0 is " + first.dtype() + " " + first.shape() + "; padded elements need the "
                        + "same dtype and rank");
            }
            for (int d = 0; d < rank; d++) max[d] = Math.max(max[d], t.shape().dim(d));
        }
        List<Tensor> out = new ArrayList<>(items.size());
        for (Tensor t : items) {
            int[][] pads = new int[rank][2];
            boolean any = false;
            for (int d = 0; d < rank; d++) {
                pads[d][1] = max[d] - t.shape().dim(d);
                any |= pads[d][1] > 0;
            }
            out.add(any ? Ops.pad(t, pads, "CONSTANT", paddingValue) : t);
        }
        return out;
    }

    /**
     * The collate function of {@link Dataset#raggedBatch}: tensors whose first dimensions differ (their inner ones
     * agree) become the rows of a {@link RaggedTensor}.
     */
    public static RaggedTensor collateRagged(List<?> items) {
        if (!items.isEmpty() && items.get(0) instanceof RaggedTensor) return collateNested(items);
        List<Tensor> ts = new ArrayList<>(items.size());
        long[] lengths = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Tensor t = requireTensor(items.get(i), i);
            Tensor first = ts.isEmpty() ? t : ts.get(0);
            int[] a = t.shape().dims(), b = first.shape().dims();
            boolean same = t.dtype() == first.dtype() && a.length == b.length && a.length >= 1;
            for (int d = 1; same && d < a.length; d++) same = a[d] == b[d];
            if (!same) {
                throw new IllegalArgumentException("raggedBatch: element " + i + " is " + t.dtype() + " " + t.shape()
                        + " but element 0 is " + first.dtype() + " " + first.shape() + "; rows need the same dtype, a "
                        + "first dimension, and equal inner dimensions");
            }
            ts.add(t);
            lengths[i] = a[0];
        }
        return RaggedTensor.fromRowLengths(ts.size() == 1 ? ts.get(0) : Ops.concat(ts, 0), lengths);
    }

    /**
     * Ragged elements (e.g. sentences of words) become the rows of a tensor with one more ragged dimension; their
     * ragged ranks, dtypes and inner dimensions must agree.
     */
    private static RaggedTensor collateNested(List<?> items) {
        RaggedTensor[] parts = new RaggedTensor[items.size()];
        long[] lengths = new long[items.size()];
        for (int i = 0; i < parts.length; i++) {
            if (!(items.get(i) instanceof RaggedTensor r)) {
                throw new IllegalArgumentException("raggedBatch: element 0 is a RaggedTensor but element " + i + " is "
                        + (items.get(i) == null ? "null" : items.get(i).getClass().getSimpleName()));
            }
            if (i > 0 && (r.dtype() != parts[0].dtype() || r.raggedRank() != parts[0].raggedRank())) {
                throw new IllegalArgumentException("raggedBatch: element " + i + " is a " + r.dtype() + " ragged tensor"
                        + " of ragged rank " + r.raggedRank() + " but element 0 is " + parts[0].dtype() + " of ragged "
                        + "rank " + parts[0].raggedRank());
            }
            parts[i] = r;
            lengths[i] = r.nrows();
        }
        return RaggedTensor.fromRowLengths(RaggedTensor.concat(parts), lengths);
    }

    /** Stacks tensors of one dtype and shape {@code s} into a tensor of shape {@code [n, s...]}. */
    public static Tensor stack(List<Tensor> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("batch: nothing to stack");
        Tensor first = items.get(0);
        boolean cpu = true;
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            if (t.isSymbolic()) throw new IllegalArgumentException("batch: element " + i + " is a graph tensor");
            if (t.dtype() != first.dtype() || !t.shape().equals(first.shape())) {
                throw new IllegalArgumentException("batch: element " + i + " is " + t.dtype() + " " + t.shape()
                        + " but element 0 is " + first.dtype() + " " + first.shape() + "; stacked elements need the same dtype and shape (map them to one shape "
                        + "first)");
            }
            cpu &= CpuDevice.TYPE.equals(t.device().type());
        }
        if (!cpu) return Ops.stack(items, 0);
        int[] dims = first.shape().dims();
        int[] batchDims = new int[dims.length + 1];
        batchDims[0] = items.size();
        System.arraycopy(dims, 0, batchDims, 1, dims.length);
        int n = first.shape().intSize();
        long total = (long) n * items.size();
        if (total > MAX_ELEMENTS) throw new IllegalArgumentException("batch: a batch of " + items.size()
                + " elements of shape " + first.shape() + " has " + total + " elements, more than a tensor can hold");
        DType dtype = first.dtype();
        Object out = switch (dtype.storage()) {
            case FLOAT -> new float[(int) total];
            case DOUBLE -> new double[(int) total];
            case INT -> new int[(int) total];
            case LONG -> new long[(int) total];
            case BYTE -> new byte[(int) total];
            case SHORT -> new short[(int) total];
            case STRING -> new byte[(int) total][]; // every element is copied in below
            case COMPLEX64 -> new float[2 * (int) total];   // re, im pairs
            case COMPLEX128 -> new double[2 * (int) total];
        };
        int slots = dtype.isComplex() ? 2 : 1; // array slots per element
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            if (!t.isDense()) t = t.dense();
            System.arraycopy(t.data(), slots * t.offset(), out, slots * i * n, slots * n);
        }
        return Tensor.wrap(dtype, Shape.of(batchDims), out);
    }

    private static Tensor requireTensor(Object x, int i) {
        if (x instanceof Tensor t) return t;
        throw new IllegalArgumentException("batch: element " + i + " is " + describe(x) + ", expected a Tensor");
    }

    private static String describe(Object x) {
        if (x instanceof Tensor t) return "a tensor " + t.spec();
        if (x instanceof Tensor[] t) return "a tuple of " + t.length + " tensors";
        return x == null ? "null" : "a " + x.getClass().getName();
    }
}
