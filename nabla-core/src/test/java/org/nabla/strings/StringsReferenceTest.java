package org.nabla.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.io.Json;
import org.nabla.ops.OpException;
import org.nabla.ragged.RaggedTensor;

/**
 * The string ops against Python's own bytes/str/re functions and printf formatting, from
 * {@code scripts/references/python_strings_reference.py}'s checked-in output; each case runs eagerly and traced.
 */
class StringsReferenceTest {
    record Case(String label, Map<String, Object> data) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = StringsReferenceTest.class.getResourceAsStream("/strings/python_strings.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("op") + "#" + out.size(), m));
            }
            return out.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static String[] strings(Object o) { return ((List<Object>) o).toArray(String[]::new); }

    @SuppressWarnings("unchecked")
    private static int[] ints(Object o) { return ((List<Object>) o).stream().mapToInt(x -> ((Number) x).intValue()).toArray(); }

    /** A Python float repr ({@code inf}, {@code nan} included) as a double. */
    private static double pythonFloat(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static byte[] hex(Object o) { return HexFormat.of().parseHex((String) o); }

    @SuppressWarnings("unchecked")
    private static byte[][] hexes(Object o) { return ((List<Object>) o).stream().map(StringsReferenceTest::hex).toArray(byte[][]::new); }

    /** {@code f} eagerly, and as a traced function: both must give {@code check}'s expectations. */
    private static void both(Tensor input, java.util.function.UnaryOperator<Tensor> f,
                             java.util.function.Consumer<Tensor> check) {
        check.accept(f.apply(input));
        check.accept(TracedFunction.unary(f).call(input)[0]);
    }

    private static void assertBytes(byte[][] want, Tensor got, String label) {
        byte[][] b = got.toBytesArray();
        assertEquals(want.length, b.length, label);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], b[i], label + " element " + i + ": want '" + new String(want[i],
                    StandardCharsets.UTF_8) + "', got '" + new String(b[i], StandardCharsets.UTF_8) + "'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesPython(Case c) {
        Map<String, Object> d = c.data();
        String label = c.label() + " " + d;
        Tensor in = d.containsKey("input") ? Tensors.of(strings(d.get("input"))) : null;
        switch ((String) d.get("op")) {
            case "split" -> {
                RaggedTensor r = Strings.split(in, (String) d.get("sep"), ((Number) d.get("maxsplit")).intValue());
                List<List<Object>> rows = (List<List<Object>>) d.get("rows");
                List<List<String>> got = r.toStringList();
                assertEquals(rows.size(), got.size(), label);
                for (int i = 0; i < rows.size(); i++) {
                    List<String> want = rows.get(i).stream().map(h -> new String(hex(h), StandardCharsets.UTF_8))
                            .toList();
                    assertEquals(want, got.get(i), label + " row " + i);
                }
            }
            case "lower", "upper" -> {
                String enc = (String) d.get("encoding");
                boolean lower = d.get("op").equals("lower");
                both(in, x -> lower ? Strings.lower(x, enc) : Strings.upper(x, enc),
                        t -> assertBytes(hexes(d.get("out")), t, label));
            }
            case "length" -> both(in, x -> Strings.length(x, (String) d.get("unit")),
                    t -> assertArrayEquals(ints(d.get("out")), t.toIntArray(), label));
            case "substr" -> {
                List<Object> ok = (List<Object>) d.get("ok");
                byte[][] want = hexes(d.get("out"));
                String[] input = strings(d.get("input"));
                int pos = ((Number) d.get("pos")).intValue(), len = ((Number) d.get("len")).intValue();
                String unit = (String) d.get("unit");
                for (int i = 0; i < input.length; i++) {
                    Tensor one = Tensors.of(new String[] {input[i]});
                    if ((Boolean) ok.get(i)) {
                        assertBytes(new byte[][] {want[i]}, Strings.substr(one, pos, len, unit), label);
                    } else {
                        OpException e = assertThrows(OpException.class, () -> Strings.substr(one, pos, len, unit));
                        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
                    }
                }
            }
            case "regex_full_match" -> both(in, x -> Strings.regexFullMatch(x, (String) d.get("pattern")), t -> {
                List<Object> want = (List<Object>) d.get("out");
                boolean[] got = t.toBooleanArray();
                for (int i = 0; i < got.length; i++) assertEquals(want.get(i), got[i], label + " element " + i);
            });
            case "regex_replace" -> both(in, x -> Strings.regexReplace(x, (String) d.get("pattern"),
                    (String) d.get("rewrite"), (Boolean) d.get("global")), t -> assertBytes(hexes(d.get("out")), t, label));
            case "to_number" -> {
                DType type = DType.of((String) d.get("dtype"));
                String[] want = strings(d.get("out"));
                both(in, x -> Strings.toNumber(x, type), t -> {
                    assertEquals(type, t.dtype());
                    if (type.isFloating()) {
                        double[] got = t.toDoubleArray();
                        for (int i = 0; i < want.length; i++) {
                            double w = pythonFloat(want[i]);
                            assertEquals(w, got[i], 0.0, label + " element " + i);
                            assertEquals(Double.doubleToRawLongBits(w) >>> 63, Double.doubleToRawLongBits(got[i]) >>> 63,
                                    label + " sign of element " + i);
                        }
                    } else {
                        long[] got = t.toLongArray();
                        for (int i = 0; i < want.length; i++) assertEquals(Long.parseLong(want[i]), got[i], label);
                    }
                });
            }
            case "to_number_fails" -> {
                DType type = DType.of((String) d.get("dtype"));
                for (String s : strings(d.get("input"))) {
                    OpException e = assertThrows(OpException.class,
                            () -> Strings.toNumber(Tensors.of(new String[] {s}), type), label + " '" + s + "'");
                    assertTrue(e.getMessage().contains("could not correctly convert string: '" + s + "'"),
                            e.getMessage());
                }
            }
            case "as_string" -> {
                List<Object> f = (List<Object>) d.get("format");
                DType type = DType.of((String) d.get("dtype"));
                String[] values = strings(d.get("input"));
                Tensor x = switch (type) {
                    case FLOAT64 -> Tensors.of(Stream.of(values).mapToDouble(StringsReferenceTest::pythonFloat)
                            .toArray(), values.length);
                    case FLOAT32 -> {
                        float[] v = new float[values.length];
                        for (int i = 0; i < v.length; i++) v[i] = (float) pythonFloat(values[i]);
                        yield Tensors.of(v, v.length);
                    }
                    default -> Tensors.of(Stream.of(values).mapToInt(Integer::parseInt).toArray(), values.length);
                };
                both(x, t -> Strings.asString(t, ((Number) f.get(0)).intValue(), (Boolean) f.get(1),
                        (Boolean) f.get(2), ((Number) f.get(3)).intValue(), (String) f.get(4)),
                        t -> assertArrayEquals(strings(d.get("out")), t.toStringArray(), label));
            }
            case "reduce_join" -> {
                Tensor m = Tensors.of(strings(d.get("input")), ints(d.get("shape")));
                int[] axes = ints(d.get("axes"));
                both(m, x -> Strings.join(x, axes, (Boolean) d.get("keepDims"), (String) d.get("separator")), t -> {
                    assertEquals(Shape.of(ints(d.get("outShape"))), t.shape(), label);
                    assertArrayEquals(strings(d.get("out")), t.toStringArray(), label);
                });
            }
            case "join" -> {
                Tensor a = Tensors.of(strings(d.get("a")), ints(d.get("aShape")));
                Tensor b = Tensors.of(strings(d.get("b")), ints(d.get("bShape")));
                Tensor t = Strings.concat(List.of(a, b), (String) d.get("separator"));
                assertEquals(Shape.of(ints(d.get("outShape"))), t.shape(), label);
                assertArrayEquals(strings(d.get("out")), t.toStringArray(), label);
            }
            default -> throw new AssertionError("unknown case " + d.get("op"));
        }
    }
}
