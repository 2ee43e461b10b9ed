package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesAndParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\" \\ name\n\u0001é");
        m.put("n", 42L);
        m.put("x", 0.5);
        m.put("shape", List.of(-1L, 28L));
        m.put("flags", List.of(true, false));
        m.put("none", null);
        m.put("nested", List.of(Map.of("k", "v")));
        m.put("empty", Map.of());
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(List.of(1L, 2.5, "s"), Json.parse(" [1, 2.5e0, \"s\"] "));
        assertEquals("\u00e9/", Json.parse("\"\\u00e9\\/\""));
    }

    @Test
    void quotesStringsEscapingQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a \\\"b\\\" \\\\ \\n\\r\\t\\u0001 é\"", Json.quote("a \"b\" \\ \n\r\t\u0001 é"));
        assertEquals("a \"b\" \\ \n\r\t\u0001 é", Json.parse(Json.quote("a \"b\" \\ \n\r\t\u0001 é")));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,\"a\":2}", "\"abc", "tru", "[1] x",
                "{\"a\":\"\\q\"}", "-", "[".repeat(100) + "]".repeat(100))) {
            String msg = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad).getMessage();
            assertTrue(msg.startsWith("invalid JSON at character "), msg);
        }
    }
}
