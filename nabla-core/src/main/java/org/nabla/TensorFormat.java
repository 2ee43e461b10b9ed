package org.nabla;

import java.math.BigDecimal;

/**
 * Prints tensors the way TensorFlow does (values formatted like NumPy): {@code tf.Tensor([1. 2.], shape=(2,),
 * dtype=float32)}. Tensors with more than {@link #THRESHOLD} elements show the first and last {@link #EDGE_ITEMS}
 * entries of each axis with "...".
 */
final class TensorFormat {
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        String values = values(t);
        String sep = t.rank() >= 2 ? "\n" : "";
        return "tf.Tensor(" + sep + values + ", shape=" + t.shape() + ", dtype=" + t.dtype() + ")";
    }

    /** Just the NumPy-style value text: {@code [[1 2]\n [3 4]]}. */
    static String values(Tensor t) {
        double[] v = t.toDoubleArray();
        long[] l = t.dtype() == DType.INT64 ? t.toLongArray() : null;
        int[] dims = t.shape().dims();
        boolean summarize = v.length > THRESHOLD;
        ElementFormat f = new ElementFormat(t.dtype(), v, l);
        StringBuilder sb = new StringBuilder();
        int[] strides = t.shape().contiguousStrides();
        append(sb, f, dims, strides, 0, 0, summarize);
        return sb.toString();
    }

    private static void append(StringBuilder sb, ElementFormat f, int[] dims, int[] strides, int axis, int base,
                               boolean summarize) {
        if (axis == dims.length) {
            sb.append(f.format(base));
            return;
        }
        sb.append('[');
        int n = dims[axis];
        boolean cut = summarize && n > 2 * EDGE_ITEMS;
        String newline = axis == dims.length - 1 ? " "
                : "\n".repeat(dims.length - axis - 1) + " ".repeat(axis + 1);
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE_ITEMS) {
                sb.append("...").append(newline);
                i = n - EDGE_ITEMS;
            }
            append(sb, f, dims, strides, axis + 1, base + i * strides[axis], summarize);
            if (i < n - 1) sb.append(newline);
        }
        sb.append(']');
    }

    /** Formats every element to one common width, as NumPy does for an array. */
    private static final class ElementFormat {
        private final DType dtype;
        private final double[] v;
        private final long[] l;
        private boolean scientific;
        private boolean integral;
        private int intWidth;
        private int fracWidth;
        private int width;

        ElementFormat(DType dtype, double[] v, long[] l) {
            this.dtype = dtype;
            this.v = v;
            this.l = l;
            if (dtype == DType.BOOL) {
                width = v.length == 0 ? 0 : (allTrue() ? 4 : 5);
                return;
            }
            if (!dtype.isFloating()) {
                for (int i = 0; i < v.length; i++) width = Math.max(width, raw(i).length());
                return;
            }
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            integral = true;
            for (double x : v) {
                if (!Double.isFinite(x)) continue;
                double a = Math.abs(x);
                maxAbs = Math.max(maxAbs, a);
                if (a != 0) minAbs = Math.min(minAbs, a);
                if (x != Math.rint(x)) integral = false;
            }
            scientific = maxAbs >= 1e16 || (minAbs < 1e-4 && minAbs != Double.MAX_VALUE)
                    || (maxAbs / Math.max(minAbs, Double.MIN_VALUE) > 1e3 && minAbs < 1e-4);
            for (double x : v) {
                String s = raw(x);
                int dot = s.indexOf('.');
                if (scientific || dot < 0) {
                    width = Math.max(width, s.length());
                } else {
                    intWidth = Math.max(intWidth, dot);
                    fracWidth = Math.max(fracWidth, s.length() - dot - 1);
                }
            }
            if (!scientific) width = Math.max(width, intWidth + 1 + fracWidth);
        }

        private boolean allTrue() {
            for (double x : v) if (x == 0) return false;
            return true;
        }

        private String raw(int i) {
            if (l != null) return Long.toString(l[i]);
            return Long.toString((long) v[i]);
        }

        private String raw(double x) {
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            if (scientific) {
                String s = String.format("%.8e", x);
                int e = s.indexOf('e');
                String mantissa = s.substring(0, e).replaceAll("0+$", "");
                String exp = s.substring(e + 1);
                int expValue = Integer.parseInt(exp);
                return mantissa + "e" + (expValue < 0 ? "-" : "+") + String.format("%02d", Math.abs(expValue));
            }
            if (integral) return (long) x + ".";
            double rounded = dtype == DType.FLOAT32 ? (float) x : x;
            String s = new BigDecimal(dtype == DType.FLOAT32 ? Float.toString((float) rounded)
                    : Double.toString(rounded)).setScale(8, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                    .toPlainString();
            if (s.indexOf('.') < 0) s = s + ".";
            return s;
        }

        String format(int i) {
            String s;
            if (dtype == DType.BOOL) {
                s = v[i] != 0 ? "True" : "False";
                return " ".repeat(Math.max(0, width - s.length())) + s;
            }
            if (!dtype.isFloating()) {
                s = raw(i);
                return " ".repeat(Math.max(0, width - s.length())) + s;
            }
            s = raw(v[i]);
            int dot = s.indexOf('.');
            if (!scientific && dot >= 0) {
                s = " ".repeat(Math.max(0, intWidth - dot)) + s;
                s = s + " ".repeat(Math.max(0, width - s.length()));
                return s;
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
