package org.nabla.data;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;

/** The passes of the source datasets: tensor slices, fixed lists, integer ranges and Java iterators. */
final class Sources {
    private Sources() {}

    static Tensor[] requireTensors(String op, Tensor[] tensors) {
        if (tensors == null || tensors.length == 0) throw new IllegalArgumentException(op + ": needs at least one tensor");
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) throw new IllegalArgumentException(op + ": tensor " + i + " is null");
            if (tensors[i].isSymbolic()) throw new IllegalArgumentException(op + ": tensor " + i + " (" + tensors[i]
                    .spec() + ") is a graph tensor; datasets hold concrete tensors");
        }
        return tensors.clone();
    }

    static Tensor[] requireSliceable(Tensor[] tensors) {
        Tensor[] ts = requireTensors("fromTensorSlices", tensors);
        for (int i = 0; i < ts.length; i++) {
            if (ts[i].rank() == 0) throw new IllegalArgumentException("fromTensorSlices: tensor " + i + " is a scalar; "
                    + "slicing needs rank >= 1 (use fromTensors for a single element)");
            if (ts[i].shape().dim(0) != ts[0].shape().dim(0)) {
                throw new IllegalArgumentException("fromTensorSlices: all tensors must have the same size along axis"
                        + " 0, but tensor 0 has shape " + ts[0].shape() + " and tensor " + i + " has " + ts[i].shape());
            }
        }
        return ts;
    }

    /** Slice {@code i} of {@code t} along axis 0: a view sharing storage on the CPU. */
    static Tensor slice(Tensor t, int i) {
        if (!CpuDevice.TYPE.equals(t.device().type())) return Ops.gather(t, i);
        int[] dims = t.shape().dims();
        int[] strides = t.strides();
        int[] subDims = java.util.Arrays.copyOfRange(dims, 1, dims.length);
        int[] subStrides = java.util.Arrays.copyOfRange(strides, 1, strides.length);
        return Tensor.view(t, Shape.of(subDims), t.offset() + i * strides[0], subStrides);
    }

    static final class SlicePass<T> extends Step<T> {
        private final Tensor[] tensors;
        private final Function<Tensor[], T> element;
        private final int n;
        private int i;

        SlicePass(Tensor[] tensors, Function<Tensor[], T> element) {
            this.tensors = tensors;
            this.element = element;
            this.n = tensors[0].shape().dim(0);
        }

        @Override
        protected T computeNext() {
            if (i >= n) return endOfData();
            Tensor[] row = new Tensor[tensors.length];
            for (int k = 0; k < row.length; k++) row[k] = slice(tensors[k], i);
            i++;
            return element.apply(row);
        }

        @Override
        protected void release() {}
    }

    /** The elements of a fixed list, each passed through {@code copy} (tuples are cloned: arrays are mutable). */
    static final class ListPass<T> extends Step<T> {
        private final List<T> items;
        private final UnaryOperator<T> copy;
        private int i;

        ListPass(List<T> items, UnaryOperator<T> copy) {
            this.items = items;
            this.copy = copy;
        }

        @Override
        protected T computeNext() { return i < items.size() ? copy.apply(items.get(i++)) : endOfData(); }

        @Override
        protected void release() {}
    }

    static final class RangePass extends Step<Long> {
        private final long start, step, n;
        private long i;

        RangePass(long start, long step, long n) {
            this.start = start;
            this.step = step;
            this.n = n;
        }

        @Override
        protected Long computeNext() {
            if (i >= n) return endOfData();
            return start + step * i++;
        }

        @Override
        protected void release() {}
    }

    static final class IteratorPass<T> extends Step<T> {
        private final Iterator<? extends T> it;

        IteratorPass(Iterator<? extends T> it) { this.it = it; }

        @Override
        protected T computeNext() { return it.hasNext() ? it.next() : endOfData(); }

        @Override
        protected void release() {
            if (it instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a finished source: nothing useful to report to the consumer
                }
            }
        }
    }
}
