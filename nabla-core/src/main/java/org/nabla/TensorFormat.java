package org.nabla;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.nabla.storage.HalfFloats;
import org.nabla.storage.Strided;

/**
 * Prints tensors the way TensorFlow does, {@code tf.Tensor(<str of the NumPy array>, shape=(2,), dtype=float32)},
 * with NumPy's default print options: 8 digits of precision in "maxprec" mode, scientific notation when the
 * non-zero magnitudes span more than 1000x or leave [1e-4, 1e8), lines wrapped at {@link #LINE_WIDTH} characters,
 * and tensors with more than {@link #THRESHOLD} elements abbreviated to the first and last {@link #EDGE_ITEMS}
 * entries of each axis. This is a port of NumPy's {@code arrayprint} (FloatingFormat, IntegerFormat, BoolFormat and
 * {@code _formatArray}); the tests hold strings produced by NumPy 1.24.
 */
final class TensorFormat {
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 75;
    private static final int PRECISION = 8;

    private TensorFormat() {}

    /** {@code tf.Tensor(...)}: the value text goes on a new line when it spans several lines, as in TensorFlow. */
    static String format(Tensor t) {
        String values = values(t);
        String sep = values.indexOf('\n') >= 0 ? "\n" : "";
        return "tf.Tensor(" + sep + values + ", shape=" + t.shape() + ", dtype=" + t.dtype() + ")";
    }

    /** Just the NumPy {@code str()} of the value: {@code [[1 2]\n [3 4]]}, {@code 4.0} for a scalar. */
    static String values(Tensor t) {
        Tensor dense = t.onHost().dense();
        if (t.rank() == 0) return scalar(dense);
        if (t.size() == 0) return "[]";
        if (t.dtype().isComplex()) return Printer.complex(dense).print();
        return new Printer(dense, false).print();
    }

    /**
     * NumPy's str of a complex scalar, which is Python's repr of a complex: {@code (1+2j)}, {@code (1.5-0.5j)}, just
     * {@code 2j} when the real part is +0, each part in its shortest digits without a trailing {@code .0}.
     */
    private static String complexScalar(Tensor t) {
        double[] z = t.toComplexArray();
        DType kind = t.dtype().realPart();
        String im = pythonFloat(z[1], kind);
        if (z[0] == 0 && !isNegativeZero(z[0])) return im + "j";
        String sign = im.startsWith("-") ? "" : "+";
        return "(" + pythonFloat(z[0], kind) + sign + im + "j)";
    }

    private static String pythonFloat(double x, DType kind) {
        String s = floatScalar(x, kind);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** NumPy's str of a scalar: {@code 4.0}, {@code 1e-05}, {@code 7}, {@code True}. */
    private static String scalar(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT4E2M1 ->
                    floatScalar(t.floatValue(), t.dtype());
            case FLOAT64 -> floatScalar(t.doubleValue(), DType.FLOAT64);
            case BOOL -> t.booleanValue() ? "True" : "False";
            case STRING -> bytesRepr(((byte[][]) t.data())[0]);
            case COMPLEX64, COMPLEX128 -> complexScalar(t);
            default -> integerText(t.longValue(), t.dtype());
        };
    }

    /**
     * Python's {@code repr} of a bytes object, as NumPy prints a string tensor's elements: {@code b'abc'}, double
     * quotes when the bytes hold a single quote and no double quote, tab, newline, return and backslash escaped as
     * Python escapes them, other bytes outside 0x20..0x7e as a hex escape.
     */
    static String bytesRepr(byte[] b) {
        boolean single = false, dbl = false;
        for (byte x : b) {
            if (x == '\'') single = true;
            if (x == '"') dbl = true;
        }
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder s = new StringBuilder(b.length + 3).append('b').append(quote);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == quote || c == '\\') s.append('\\').append((char) c);
            else if (c == '\t') s.append("\\t");
            else if (c == '\n') s.append("\\n");
            else if (c == '\r') s.append("\\r");
            else if (c < 0x20 || c >= 0x7f) s.append(String.format("\\x%02x", c));
            else s.append((char) c);
        }
        return s.append(quote).toString();
    }

    /** An integer element's digits: uint64 bits print unsigned, as NumPy prints 18446744073709551615. */
    private static String integerText(long v, DType dtype) {
        return dtype == DType.UINT64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    private static String floatScalar(double x, DType kind) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        double a = Math.abs(x);
        if (x == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = shortest(x, kind).toPlainString();
            if (s.indexOf('.') < 0) s += ".0";
            return (isNegativeZero(x) ? "-" : "") + s;
        }
        Sci sci = Sci.of(x, kind, Integer.MAX_VALUE);
        String exp = Integer.toString(Math.abs(sci.exp));
        return sci.intPart + (sci.frac.isEmpty() ? "" : "." + sci.frac) + "e" + (sci.exp < 0 ? "-" : "+")
                + (exp.length() < 2 ? "0" : "") + exp;
    }

    private static boolean isNegativeZero(double x) { return x == 0 && Double.doubleToRawLongBits(x) != 0; }

    /** The shortest decimal that reads back as the same value of {@code kind} (a floating dtype). */
    private static BigDecimal shortest(double x, DType kind) {
        if (kind.isHalfPrecision()) return shortestHalf(x, kind);
        boolean single = kind == DType.FLOAT32 || kind.isLowPrecisionFloat();
        BigDecimal b = new BigDecimal(single ? Float.toString((float) x) : Double.toString(x));
        // Java always prints two significant digits (Float.MIN_VALUE is "1.4E-45"); NumPy prints "1e-45" when one
        // digit already reads back as the same value.
        if (x != 0 && b.stripTrailingZeros().precision() == 2) {
            BigDecimal one = b.round(new MathContext(1, RoundingMode.HALF_EVEN));
            boolean same = single ? one.floatValue() == (float) x : one.doubleValue() == x;
            if (same) return one;
        }
        return b.stripTrailingZeros();
    }

    /** The fewest significant digits (at most 5 for float16, 4 for bfloat16) that round back to the same 16-bit x. */
    private static BigDecimal shortestHalf(double x, DType kind) {
        if (x == 0) return BigDecimal.ZERO;
        BigDecimal exact = new BigDecimal(x);
        short bits = HalfFloats.fromDouble(kind, x);
        for (int digits = 1; ; digits++) {
            BigDecimal b = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (HalfFloats.fromDouble(kind, b.doubleValue()) == bits) return b.stripTrailingZeros();
        }
    }

    /** Positional digits: shortest unique, rounded to at most 8 fraction digits, trailing zeros removed. */
    private static String positional(double x, DType kind) {
        BigDecimal b = shortest(x, kind);
        if (b.scale() > PRECISION) b = new BigDecimal(x).setScale(PRECISION, RoundingMode.HALF_EVEN);
        b = b.stripTrailingZeros();
        String s = b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
        if (s.indexOf('.') < 0) s += ".";
        if (isNegativeZero(x) || (x < 0 && !s.startsWith("-"))) s = "-" + s; // -0.0, or a tiny negative rounded to 0
        return s;
    }

    /** A number in scientific form: sign and first digit, the other digits, and the decimal exponent. */
    private record Sci(String intPart, String frac, int exp) {
        /**
         * Exactly {@code fracDigits} digits after the first, taken from the exact binary value (NumPy's min_digits:
         * digits past the shortest representation are real digits of the value, not zeros).
         */
        static Sci exact(double x, DType kind, int fracDigits) {
            if (x == 0) return new Sci(isNegativeZero(x) ? "-0" : "0", "0".repeat(fracDigits), 0);
            BigDecimal b = new BigDecimal(kind == DType.FLOAT64 ? x : (double) (float) x)
                    .round(new MathContext(fracDigits + 1, RoundingMode.HALF_EVEN));
            String digits = b.unscaledValue().abs().toString();
            int exp = b.precision() - b.scale() - 1;
            digits = digits + "0".repeat(fracDigits + 1 - digits.length());
            return new Sci((x < 0 ? "-" : "") + digits.charAt(0), digits.substring(1), exp);
        }

        static Sci of(double x, DType kind, int maxFracDigits) {
            if (x == 0) return new Sci(isNegativeZero(x) ? "-0" : "0", "", 0);
            BigDecimal b = shortest(x, kind).stripTrailingZeros();
            if (b.precision() - 1 > maxFracDigits) {
                b = new BigDecimal(x).round(new MathContext(maxFracDigits + 1, RoundingMode.HALF_EVEN))
                        .stripTrailingZeros();
            }
            String digits = b.unscaledValue().abs().toString();
            int exp = b.precision() - b.scale() - 1;
            return new Sci((x < 0 ? "-" : "") + digits.charAt(0), digits.substring(1), exp);
        }
    }

    /** Formats and lays out the elements of one dense tensor of rank >= 1 and size >= 1. */
    private static final class Printer {
        private final Tensor t;
        private final int[] dims;
        private final int[] strides;
        private final boolean summarize;
        private final Object data;
        private final DType dtype;
        private final boolean plus;                 // NumPy's sign='+': non-negative values get a '+'
        private Printer realPart, imagPart;         // a complex tensor's parts, each with its own format
        // element format, fixed from the displayed elements before printing
        private boolean exp;
        private int padLeft;
        private int padRight;
        private int precision;
        private int expSize;
        private int width;

        Printer(Tensor t, boolean plus) {
            this.t = t;
            this.dims = t.shape().dims();
            this.strides = t.shape().contiguousStrides();
            this.summarize = t.size() > THRESHOLD;
            this.data = t.data();
            this.dtype = t.dtype();
            this.plus = plus;
        }

        /**
         * NumPy's ComplexFloatingFormat: the real parts formatted as a float array, the imaginary parts as one with
         * a sign on every value, joined with a {@code j} before the imaginary part's padding.
         */
        static Printer complex(Tensor t) {
            int n = t.shape().intSize();
            DType part = t.dtype().realPart();
            Printer p = new Printer(t, false);
            p.realPart = new Printer(Tensor.wrap(part, t.shape(), org.nabla.storage.ComplexParts.part(t.data(), n,
                    false)), false);
            p.imagPart = new Printer(Tensor.wrap(part, t.shape(), org.nabla.storage.ComplexParts.part(t.data(), n,
                    true)), true);
            return p;
        }

        String print() {
            long shownCount = 1;
            for (int d : dims) shownCount *= summarize && d > 2 * EDGE_ITEMS ? 2 * EDGE_ITEMS : d;
            int[] shown = new int[(int) Math.min(shownCount, t.size())];
            int[] count = {0};
            visit(0, 0, shown, count);
            fill(shown, count[0]);
            return recurse(0, 0, " ", LINE_WIDTH);
        }

        /** Collects the flat indices of the elements that will be displayed (all, or the edges when summarizing). */
        private void visit(int axis, int base, int[] out, int[] count) {
            if (axis == dims.length) {
                out[count[0]++] = base;
                return;
            }
            int n = dims[axis];
            boolean cut = summarize && n > 2 * EDGE_ITEMS;
            for (int i = 0; i < n; i++) {
                if (cut && i == EDGE_ITEMS) i = n - EDGE_ITEMS;
                visit(axis + 1, base + i * strides[axis], out, count);
            }
        }

        private double at(int i) { return Strided.read(data, i, dtype); }

        private String integer(int i) { return integerText(Strided.readLong(data, i, dtype), dtype); }

        /** NumPy's FloatingFormat.fillFormat / IntegerFormat / BoolFormat over the displayed elements. */
        private void fill(int[] shown, int n) {
            if (realPart != null) {
                realPart.fill(shown, n);
                imagPart.fill(shown, n);
                return;
            }
            if (dtype == DType.STRING) return; // NumPy pads no string element
            if (dtype == DType.BOOL) {
                width = 5; // ' True' / 'False' for every non-scalar array
                return;
            }
            if (!dtype.isFloating() && !dtype.isLowPrecisionFloat()) {
                for (int k = 0; k < n; k++) width = Math.max(width, integer(shown[k]).length());
                return;
            }
            DType kind = dtype;
            double max = 0, min = Double.POSITIVE_INFINITY;
            boolean anyFinite = false, anyNonFinite = false, negInf = false;
            for (int k = 0; k < n; k++) {
                double x = at(shown[k]);
                if (!Double.isFinite(x)) {
                    anyNonFinite = true;
                    if (x == Double.NEGATIVE_INFINITY) negInf = true;
                    continue;
                }
                anyFinite = true;
                double a = Math.abs(x);
                if (a != 0) {
                    max = Math.max(max, a);
                    min = Math.min(min, a);
                }
            }
            if (max != 0) {
                double ratio = kind != DType.FLOAT64 ? (float) max / (float) min : max / min;
                exp = max >= 1e8 || min < 1e-4 || ratio > 1000;
            }
            if (!anyFinite) {
                padLeft = 0;
                padRight = 0;
            } else if (exp) {
                int intLen = 0, fracLen = 0, expDigits = 0;
                for (int k = 0; k < n; k++) {
                    double x = at(shown[k]);
                    if (!Double.isFinite(x)) continue;
                    Sci s = Sci.of(x, kind, PRECISION);
                    intLen = Math.max(intLen, s.intPart.length() + (plus && !s.intPart.startsWith("-") ? 1 : 0));
                    fracLen = Math.max(fracLen, s.frac.length());
                    expDigits = Math.max(expDigits, Math.max(2, Integer.toString(Math.abs(s.exp)).length()));
                }
                precision = fracLen;
                expSize = expDigits;
                padLeft = intLen;
                padRight = expSize + 2 + precision;
            } else {
                for (int k = 0; k < n; k++) {
                    double x = at(shown[k]);
                    if (!Double.isFinite(x)) continue;
                    String s = signed(positional(x, kind));
                    int dot = s.indexOf('.');
                    padLeft = Math.max(padLeft, dot);
                    padRight = Math.max(padRight, s.length() - dot - 1);
                }
            }
            if (anyNonFinite) {
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf || plus ? 1 : 0) - offset));
            }
        }

        /** {@code s} with a '+' in front for NumPy's sign='+' (negative values have their '-' already). */
        private String signed(String s) { return plus && !s.startsWith("-") ? "+" + s : s; }

        private String element(int i) {
            if (realPart != null) {
                String im = imagPart.element(i);
                int end = im.stripTrailing().length();   // the 'j' goes before the imaginary part's padding
                return realPart.element(i) + im.substring(0, end) + "j" + im.substring(end);
            }
            if (dtype == DType.STRING) return bytesRepr(((byte[][]) data)[i]);
            if (dtype == DType.BOOL) return at(i) != 0 ? " True" : "False";
            if (!dtype.isFloating() && !dtype.isLowPrecisionFloat()) return pad(integer(i), width);
            double x = at(i);
            if (!Double.isFinite(x)) {
                String s = signed(Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
                return pad(s, padLeft + padRight + 1);
            }
            DType kind = dtype;
            if (exp) {
                Sci s = Sci.exact(x, kind, precision);
                String e = Integer.toString(Math.abs(s.exp));
                return pad(signed(s.intPart), padLeft) + "." + s.frac + "e"
                        + (s.exp < 0 ? "-" : "+") + "0".repeat(Math.max(0, expSize - e.length())) + e;
            }
            String s = signed(positional(x, kind));
            int dot = s.indexOf('.');
            return " ".repeat(Math.max(0, padLeft - dot)) + s + " ".repeat(Math.max(0, padRight - (s.length() - dot
                    - 1)));
        }

        private static String pad(String s, int w) { return s.length() >= w ? s : " ".repeat(w - s.length()) + s; }

        /** NumPy's {@code _formatArray}: nested brackets, hanging indents, wrapping and "..." summaries. */
        private String recurse(int axis, int base, String hanging, int currWidth) {
            int axesLeft = dims.length - axis;
            if (axesLeft == 0) return element(base);
            String nextHanging = hanging + " ";
            int nextWidth = currWidth - 1; // room for the closing ']'
            int n = dims[axis];
            boolean summary = summarize && 2 * EDGE_ITEMS < n;
            int leading = summary ? EDGE_ITEMS : 0;
            int trailing = summary ? EDGE_ITEMS : n;
            int stride = strides[axis];
            StringBuilder s = new StringBuilder();
            if (axesLeft == 1) {
                int elemWidth = currWidth - 1;
                StringBuilder line = new StringBuilder(hanging);
                for (int i = 0; i < leading; i++) {
                    line = extend(s, line, recurse(axis + 1, base + i * stride, nextHanging, nextWidth), elemWidth,
                            hanging);
                    line.append(' ');
                }
                if (summary) {
                    line = extend(s, line, "...", elemWidth, hanging);
                    line.append(' ');
                }
                for (int i = trailing; i > 1; i--) {
                    line = extend(s, line, recurse(axis + 1, base + (n - i) * stride, nextHanging, nextWidth),
                            elemWidth, hanging);
                    line.append(' ');
                }
                line = extend(s, line, recurse(axis + 1, base + (n - 1) * stride, nextHanging, nextWidth), elemWidth,
                        hanging);
                s.append(line);
            } else {
                String lineSep = "\n".repeat(axesLeft - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hanging).append(recurse(axis + 1, base + i * stride, nextHanging, nextWidth))
                            .append(lineSep);
                }
                if (summary) s.append(hanging).append("...").append(lineSep);
                for (int i = trailing; i > 1; i--) {
                    s.append(hanging).append(recurse(axis + 1, base + (n - i) * stride, nextHanging, nextWidth))
                            .append(lineSep);
                }
                s.append(hanging).append(recurse(axis + 1, base + (n - 1) * stride, nextHanging, nextWidth));
            }
            return "[" + s.substring(hanging.length()) + "]";
        }

        /** NumPy's {@code _extendLine}: starts a new line when the word would pass the width (unless that is futile). */
        private static StringBuilder extend(StringBuilder s, StringBuilder line, String word, int width,
                                            String nextLinePrefix) {
            boolean wrap = line.length() + word.length() > width && line.length() > nextLinePrefix.length();
            if (wrap) {
                s.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(nextLinePrefix);
            }
            return line.append(word);
        }
    }
}
