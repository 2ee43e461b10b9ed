package org.nabla.strings;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;
import org.nabla.DType;

/**
 * Numbers to and from text as TensorFlow's StringToNumber and AsString do: parsing accepts surrounding ASCII
 * whitespace, a sign, decimal digits with an optional fraction and exponent, and {@code inf}/{@code infinity}/
 * {@code nan} for floats, and fails on anything else or out of range; formatting follows C's {@code printf}
 * ({@code %f}, {@code %e}, {@code %g}, {@code %d} with width, fill flag and precision), rounding the exact binary
 * value half to even as glibc does.
 */
final class NumberText {
    private NumberText() {}

    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:inf|infinity|nan))");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    /** The value of {@code text} as {@code out} (float32, float64, int32 or int64), or null when it does not parse. */
    static Object parse(String text, DType out) {
        String t = strip(text);
        switch (out) {
            case FLOAT32, FLOAT64 -> {
                if (!FLOAT.matcher(t).matches()) return null;
                String lower = t.toLowerCase(java.util.Locale.ROOT);
                boolean neg = lower.startsWith("-");
                String body = lower.replaceFirst("^[+-]", "");
                if (body.startsWith("inf") || body.equals("nan")) {
                    double v = body.equals("nan") ? Double.NaN : neg ? Double.NEGATIVE_INFINITY
                            : Double.POSITIVE_INFINITY;
                    return out == DType.FLOAT32 ? (Object) (float) v : (Object) v;
                }
                if (out == DType.FLOAT32) {
                    float f = Float.parseFloat(t);
                    return Float.isInfinite(f) ? null : f; // out of float32's range: an error, as in TensorFlow
                }
                double d = Double.parseDouble(t);
                return Double.isInfinite(d) ? null : d;
            }
            case INT32, INT64 -> {
                if (!INTEGER.matcher(t).matches()) return null;
                try {
                    return out == DType.INT32 ? (Object) Integer.parseInt(t) : (Object) Long.parseLong(t);
                } catch (NumberFormatException e) {
                    return null; // out of range
                }
            }
            default -> throw new IllegalArgumentException("StringToNumber: out_type must be float32, float64, int32 "
                    + "or int64, got " + out);
        }
    }

    private static String strip(String s) {
        int a = 0, b = s.length();
        while (a < b && isSpace(s.charAt(a))) a++;
        while (b > a && isSpace(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    private static boolean isSpace(char c) { return c == ' ' || (c >= 9 && c <= 13); }

    /** AsString's options: digits after the point (-1: C's default 6), %e, %g, field width (-1: none), fill flag. */
    record Format(int precision, boolean scientific, boolean shortest, int width, String fill) {
        Format {
            if (scientific && shortest) {
                throw new IllegalArgumentException("AsString: cannot select both scientific and shortest notation");
            }
            if (fill.length() > 1) throw new IllegalArgumentException("AsString: fill '" + fill + "' is more than "
                    + "one character");
            if (!fill.isEmpty() && "0 -+".indexOf(fill.charAt(0)) < 0) {
                throw new IllegalArgumentException("AsString: fill must be '', ' ', '0', '-' or '+' (a printf flag), "
                        + "got '" + fill + "'");
            }
        }
    }

    /** A floating value as {@code printf("%<fill><width>.<precision>{f,e,g}")} writes it. */
    static String formatFloat(double x, Format f) {
        String body;
        int p = f.precision() < 0 ? 6 : f.precision();
        if (Double.isNaN(x)) body = "nan";
        else if (Double.isInfinite(x)) body = x > 0 ? "inf" : "-inf";
        else if (f.scientific()) body = exponential(x, p);
        else if (f.shortest()) body = general(x, p);
        else body = fixed(x, p);
        if (!Double.isFinite(x) && f.fill().equals("0")) return pad(signed(body, f), f.width(), ' ', false);
        return pad(signed(body, f), f.width(), f.fill().equals("0") ? '0' : ' ', f.fill().equals("-"));
    }

    /** An integer as {@code printf("%<fill><width>d")} writes it. */
    static String formatInteger(String digits, Format f) {
        return pad(signed(digits, f), f.width(), f.fill().equals("0") ? '0' : ' ', f.fill().equals("-"));
    }

    /** A string padded as {@code printf("%<width>s")} (or left-justified with the '-' fill) pads it. */
    static byte[] padText(String s, Format f) {
        return Utf8.encode(pad(s, f.width(), ' ', f.fill().equals("-")));
    }

    private static String signed(String body, Format f) {
        if (body.startsWith("-")) return body;
        if (f.fill().equals("+")) return "+" + body;
        if (f.fill().equals(" ")) return " " + body;
        return body;
    }

    /** Pads to {@code width}: zeros go after the sign, spaces before it (or after it all when left-justified). */
    private static String pad(String s, int width, char fill, boolean left) {
        if (width <= s.length()) return s;
        String padding = String.valueOf(fill).repeat(width - s.length());
        if (left) return s + padding;
        if (fill == '0' && !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+' || s.charAt(0) == ' ')) {
            return s.charAt(0) + padding + s.substring(1);
        }
        return padding + s;
    }

    private static boolean negative(double x) { return x < 0 || (x == 0 && 1 / x < 0); }

    static String fixed(double x, int p) {
        String s = new BigDecimal(Math.abs(x)).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return (negative(x) ? "-" : "") + s;
    }

    static String exponential(double x, int p) {
        BigDecimal a = new BigDecimal(Math.abs(x));
        int exp = 0;
        String digits;
        if (a.signum() == 0) {
            digits = "0".repeat(p + 1);
        } else {
            exp = a.precision() - a.scale() - 1;
            BigDecimal m = a.movePointLeft(exp).setScale(p, RoundingMode.HALF_EVEN);
            if (m.compareTo(BigDecimal.TEN) >= 0) { // rounding carried into a new digit: 9.99 -> 10.0
                exp++;
                m = a.movePointLeft(exp).setScale(p, RoundingMode.HALF_EVEN);
            }
            digits = m.unscaledValue().toString();
        }
        String mant = digits.charAt(0) + (p > 0 ? "." + digits.substring(1) : "");
        String e = Integer.toString(Math.abs(exp));
        return (negative(x) ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" : "") + e;
    }

    /** C's %g: %e or %f by the decimal exponent, then trailing zeros (and a bare point) removed. */
    static String general(double x, int p) {
        int prec = p == 0 ? 1 : p;
        String e = exponential(x, prec - 1);
        int exp = Integer.parseInt(e.substring(e.indexOf('e') + 1));
        if (exp >= -4 && exp < prec) return stripZeros(fixed(x, prec - 1 - exp));
        int at = e.indexOf('e');
        return stripZeros(e.substring(0, at)) + e.substring(at);
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
