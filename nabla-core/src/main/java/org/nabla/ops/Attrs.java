package org.nabla.ops;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nabla.DType;
import org.nabla.Shape;

/**
 * The attribute values of one op call: an immutable, small, ordered name -> value map. Floats are held as Double and
 * float lists as double[]; int lists are cloned on the way in and out.
 */
public final class Attrs {
    public static final Attrs EMPTY = new Attrs(new String[0], new Object[0]);

    private final String[] names;
    private final Object[] values;

    private Attrs(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /** {@code Attrs.of("axis", 1, "keepDims", true)}. */
    public static Attrs of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Attrs.of needs name/value pairs, got " + namesAndValues.length
                    + " arguments");
        }
        int n = namesAndValues.length / 2;
        String[] names = new String[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            names[i] = (String) Objects.requireNonNull(namesAndValues[2 * i], "attribute name");
            values[i] = normalize(names[i], namesAndValues[2 * i + 1]);
        }
        return new Attrs(names, values);
    }

    private static Object normalize(String name, Object v) {
        Objects.requireNonNull(v, () -> "attribute '" + name + "' is null");
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof int[] a) return a.clone();
        if (v instanceof double[] a) return a.clone();
        if (v instanceof GraphFunction[] a) {
            for (GraphFunction f : a) Objects.requireNonNull(f, () -> "attribute '" + name + "' holds a null graph");
            return a.clone();
        }
        if (v instanceof float[] a) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i];
            return d;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Boolean
                || v instanceof String || v instanceof DType || v instanceof Shape || v instanceof GraphFunction) {
            return v;
        }
        if (v instanceof org.nabla.Tensor t) {
            if (t.isSymbolic()) {
                throw new IllegalArgumentException("attribute '" + name + "' must be a concrete tensor, got graph "
                        + "tensor " + t.spec());
            }
            return t;
        }
        throw new IllegalArgumentException("attribute '" + name + "' has unsupported type " + v.getClass().getName());
    }

    /** A copy with one attribute added or replaced. */
    public Attrs with(String name, Object value) {
        int i = indexOf(name);
        String[] n = i >= 0 ? names : Arrays.copyOf(names, names.length + 1);
        Object[] v = Arrays.copyOf(values, n.length);
        if (i < 0) {
            i = names.length;
            n[i] = name;
        }
        v[i] = normalize(name, value);
        return new Attrs(n, v);
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        return -1;
    }

    public boolean has(String name) { return indexOf(name) >= 0; }

    /** The raw value, or null. */
    public Object get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    private Object require(String name) {
        int i = indexOf(name);
        if (i < 0) throw new IllegalArgumentException("missing attribute '" + name + "' (have " + this + ")");
        return values[i];
    }

    public int getInt(String name) { return ((Number) require(name)).intValue(); }

    public long getLong(String name) { return ((Number) require(name)).longValue(); }

    public double getDouble(String name) { return ((Number) require(name)).doubleValue(); }

    public float getFloat(String name) { return ((Number) require(name)).floatValue(); }

    public boolean getBool(String name) { return (Boolean) require(name); }

    public String getString(String name) { return (String) require(name); }

    public DType getDType(String name) { return (DType) require(name); }

    public Shape getShape(String name) { return (Shape) require(name); }

    public int[] getInts(String name) { return ((int[]) require(name)).clone(); }

    public double[] getDoubles(String name) { return ((double[]) require(name)).clone(); }

    public int getInt(String name, int dflt) { Object v = get(name); return v == null ? dflt : ((Number) v).intValue(); }

    public boolean getBool(String name, boolean dflt) { Object v = get(name); return v == null ? dflt : (Boolean) v; }

    public int size() { return names.length; }

    /** The attributes as an ordered map (a copy). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) m.put(names[i], values[i]);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attrs a) || a.names.length != names.length) return false;
        for (int i = 0; i < names.length; i++) {
            int j = a.indexOf(names[i]);
            if (j < 0 || !Objects.deepEquals(values[i], a.values[j])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < names.length; i++) h += names[i].hashCode() ^ Arrays.deepHashCode(new Object[] {values[i]});
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(", ");
            Object v = values[i];
            String s = v instanceof int[] a ? Arrays.toString(a) : v instanceof double[] d ? Arrays.toString(d)
                    : v instanceof Object[] o ? Arrays.toString(o) : String.valueOf(v);
            sb.append(names[i]).append('=').append(s);
        }
        return sb.append('}').toString();
    }
}
