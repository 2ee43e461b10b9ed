package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke test of {@code nabla bench}: runs quickly and prints well-formed JSON. No timing assertions. */
class BenchCommandTest {
    @Test
    void quickJsonRunHasTheExpectedKeys() {
        String out = runCapturingStdout("bench", "--quick", "--no-reference", "--only", "add,dispatch", "--json");
        Object parsed = new Json(out).parse();
        Map<?, ?> root = assertInstanceOf(Map.class, parsed, out);
        assertInstanceOf(String.class, root.get("machine"));
        Map<?, ?> results = assertInstanceOf(Map.class, root.get("results"), out);
        assertEquals(List.of("add", "dispatch"), new ArrayList<>(results.keySet()));
        for (Object v : results.values()) {
            Map<?, ?> row = assertInstanceOf(Map.class, v);
            for (String key : List.of("description", "unit", "nabla", "reference", "ratio", "note")) {
                assertTrue(row.containsKey(key), key + " missing in " + row);
            }
            assertTrue(((Double) row.get("nabla")) > 0, row.toString());
            assertEquals(null, row.get("reference")); // --no-reference
        }
        assertEquals("GB/s", ((Map<?, ?>) results.get("add")).get("unit"));
        assertEquals("us/op", ((Map<?, ?>) results.get("dispatch")).get("unit"));
    }

    @Test
    void roundsReportMediansWithEachRoundsRatio() {
        String out = runCapturingStdout("bench", "--quick", "--no-reference", "--only", "scoped", "--rounds", "3",
                "--json");
        Map<?, ?> results = assertInstanceOf(Map.class, ((Map<?, ?>) new Json(out).parse()).get("results"), out);
        assertEquals(List.of("add_scoped", "sgemm_256_scoped"), new ArrayList<>(results.keySet()));
        for (Object v : results.values()) {
            Map<?, ?> row = assertInstanceOf(Map.class, v);
            assertTrue(((Double) row.get("nabla")) > 0, row.toString());
            assertEquals("median of 3 rounds; ratios n/a n/a n/a", row.get("note"));
        }
        assertNotEquals(0, Main.execute("bench", "--quick", "--no-reference", "--rounds", "0"));
    }

    @Test
    void unknownGroupFails() {
        assertNotEquals(0, Main.execute("bench", "--quick", "--no-reference", "--only", "nope"));
    }

    private static String runCapturingStdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** A minimal strict JSON reader (objects, arrays, strings, numbers, true/false/null), enough to validate output. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) { this.s = s; }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) throw new IllegalStateException("trailing text at " + i + ": " + s);
            return v;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'u' -> { sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }

        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalStateException("expected '" + c + "' at " + i + ": " + s);
            i++;
        }
    }
}
