package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.Json;

/**
 * Reading the reference files that {@code scripts/references/keras_*.py} write: a JSON object with a "cases" list;
 * arrays as {"shape": [...], "data": [...]} or flat lists. Shared by the tests that check layers, losses and
 * optimizers against Keras.
 */
public final class KerasReference {
    /** One case: a label for the test report and its JSON object. */
    public record Case(String label, Map<String, Object> d) {
        @Override public String toString() { return label; }
    }

    private KerasReference() {}

    /** The cases of the classpath resource {@code resource}, labelled by {@code label}. */
    public static Stream<Case> cases(String resource, Function<Map<String, Object>, String> label) {
        return cases(resource, "cases", label);
    }

    /** The cases listed under {@code key} in the classpath resource {@code resource}, labelled by {@code label}. */
    @SuppressWarnings("unchecked")
    public static Stream<Case> cases(String resource, String key, Function<Map<String, Object>, String> label) {
        try (InputStream in = KerasReference.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get(key)) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(label.apply(m), m));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root object of the classpath resource {@code resource}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> root(String resource) {
        try (InputStream in = KerasReference.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON list of numbers as floats. */
    public static float[] floats(Object o) {
        List<?> l = (List<?>) o;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((Number) l.get(i)).floatValue();
        return f;
    }

    /** A JSON list of numbers as ints. */
    public static int[] ints(Object o) { return ((List<?>) o).stream().mapToInt(x -> ((Number) x).intValue()).toArray(); }

    /** {"shape": [...], "data": [...]} as a float32 tensor. */
    @SuppressWarnings("unchecked")
    public static Tensor tensor(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        return Tensor.wrap(DType.FLOAT32, Shape.of(ints(m.get("shape"))), floats(m.get("data")));
    }

    /** Fails unless {@code actual} holds {@code expected} within {@code tol} relative (plus tol absolute). */
    public static void assertClose(String what, float[] expected, Tensor actual, double tol) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }
}
