package org.nabla.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.ops.OpException;
import org.nabla.ragged.RaggedTensor;
import org.nabla.runtime.Session;

/**
 * TensorFlow-specific semantics of the string ops, hand-worked from TensorFlow's API documentation (the examples of
 * tf.strings.* pages), FarmHash Fingerprint64 against published test vectors, graph mode and clear errors.
 */
class StringsTest {
    private static Tensor s(String... v) { return Tensors.of(v); }

    /** tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3) is [0, 2, 2] in TensorFlow's docs. */
    @Test
    void hashBucketsMatchTensorFlowsDocumentedExample() {
        assertArrayEquals(new long[] {0, 2, 2}, Strings.toHashBucketFast(s("Hello", "TensorFlow", "2.x"), 3)
                .toLongArray());
        OpException e = assertThrows(OpException.class, () -> Strings.toHashBucketFast(s("a"), 0));
        assertTrue(e.getMessage().contains("numBuckets must be at least 1"), e.getMessage());
    }

    /**
     * tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2]) is [2, 0] in TensorFlow's docs; SipHash-2-4 of the
     * bytes 00..0e under the key 00..0f is a129ca6149be45e5 (the SipHash paper's test vector).
     */
    @Test
    void strongHashBucketsMatchTensorFlowAndSipHashsVector() {
        assertArrayEquals(new long[] {2, 0}, Strings.toHashBucketStrong(s("Hello", "TF"), 3, 1, 2).toLongArray());
        byte[] msg = new byte[15];
        for (int i = 0; i < msg.length; i++) msg[i] = (byte) i;
        assertEquals(0xa129ca6149be45e5L, SipHash.hash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, msg));
    }

    /**
     * Fingerprint64 test vectors published with a FarmHash port (tecnickcom/farmhash64's test data), one or more per
     * length range of the algorithm: 0, 1-3, 4-7, 8-16, 17-32, 33-64 and longer than 64 bytes.
     */
    @Test
    void fingerprint64MatchesPublishedVectors() {
        Map<String, Long> vectors = Map.ofEntries(
                Map.entry("", 0x9ae16a3b2f90404fL),
                Map.entry("a", 0xb3454265b6df75e3L),
                Map.entry("abc", 0x24a5b3a074e7f369L),
                Map.entry("abcd", 0x1a5502de4a1f8101L),
                Map.entry("abcdefg", 0x3c40c92b1ccb7355L),
                Map.entry("abcdefgh", 0xfee9d22990c82909L),
                Map.entry("0123456789'01234", 0x4283d4ef43627f64L),
                Map.entry("0123456789=012345", 0x46a7416ed4861e3bL),
                Map.entry("C is as portable as Stonehedge!!", 0xb944f8a16261e414L),
                Map.entry("Discard medicine more than two years old.", 0xe8f89ab6df9bdd25L),
                Map.entry("He who has a shady past knows that nice guys finish last.", 0x786d7e1987023ca9L),
                Map.entry("Give me a rock, paper and scissors and I will move the world.  CCFestoon",
                        0xa2b8bf3032021993L),
                Map.entry("The fugacity of a constituent in a mixture of gases at a given temperature is proportional "
                        + "to its mole fraction.  Lewis-Randall Rule", 0x098eff6958c5e91aL));
        vectors.forEach((text, want) -> assertEquals(want, FarmHash.fingerprint64(text.getBytes(
                StandardCharsets.UTF_8)), () -> "'" + text + "': " + Long.toHexString(FarmHash.fingerprint64(
                text.getBytes(StandardCharsets.UTF_8)))));
    }

    /** The examples of tf.strings.reduce_join, tf.strings.join, tf.strings.split and tf.strings.length. */
    @Test
    void tensorFlowDocumentationExamples() {
        Tensor m = Tensors.of(new String[] {"abc", "123", "def", "456"}, 2, 2);
        assertArrayEquals(new String[] {"abc123", "def456"}, Strings.join(m, -1, "").toStringArray());
        assertArrayEquals(new String[] {"abc-123", "def-456"}, Strings.join(m, 1, "-").toStringArray());
        assertEquals("abc123def456", Strings.join(m, "").stringValue());
        assertEquals(Shape.SCALAR, Strings.join(m, "").shape());
        assertArrayEquals(new String[] {"abc def", "123 456"}, Strings.join(m, 0, " ").toStringArray());
        assertEquals(Shape.of(2, 1), Strings.join(m, new int[] {1}, true, "").shape());
        assertArrayEquals(new String[] {"abc123", "def456"}, Strings.join(m, new int[] {1}, true, "")
                .toStringArray());

        Tensor joined = Strings.concat(List.of(s("abc", "def"), s("ghi", "jkl")), "");
        assertArrayEquals(new String[] {"abcghi", "defjkl"}, joined.toStringArray());
        assertArrayEquals(new String[] {"x-a", "x-b"}, Strings.concat(List.of("x", s("a", "b")), "-")
                .toStringArray());

        RaggedTensor words = Strings.split(s("hello world", "a b c"));
        assertEquals(List.of(List.of("hello", "world"), List.of("a", "b", "c")), words.toStringList());
        assertEquals(List.of(List.of("1", "2", "", "3")), Strings.split(s("1<>2<><>3"), "<>", -1).toStringList());
        assertEquals(List.of(List.of("hello", "world")), Strings.split(s("hello world"), " ", -1).toStringList());
        assertEquals("RaggedTensor(string, [[a, b], []])", Strings.split(s("a b", "")).toString());
        assertArrayEquals(new String[] {"a", "b", "", ""}, Strings.split(s("a b", "")).toTensor("").toStringArray());

        // tf.strings.length(['Hello','TensorFlow', '🙂']) -> [5, 10, 4]; with unit="UTF8_CHAR" -> [5, 10, 1]
        Tensor t = s("Hello", "TensorFlow", "\uD83D\uDE42");
        assertArrayEquals(new int[] {5, 10, 4}, Strings.length(t).toIntArray());
        assertArrayEquals(new int[] {5, 10, 1}, Strings.length(t, Strings.UTF8_CHAR).toIntArray());
    }

    /** tf.strings.substr's examples: position and length per element, BYTE and UTF8_CHAR units. */
    @Test
    void substrFollowsTensorFlow() {
        Tensor in = Tensors.of(new String[] {"Hello", "World"});
        assertArrayEquals(new String[] {"ell", "orl"}, Strings.substr(in, 1, 3).toStringArray());
        Tensor m = Tensors.of(new String[] {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
            "sixteen", "seventeen", "eighteen"}, 3, 3);
        Tensor pos = Tensors.of(new int[] {1, 2, 3, 1, 2, 3, 1, 2, 3}, 3, 3);
        Tensor len = Tensors.of(new int[] {2, 3, 4, 4, 3, 2, 5, 5, 5}, 3, 3);
        assertArrayEquals(new String[] {"en", "eve", "lve", "hirt", "urt", "te", "ixtee", "vente", "hteen"},
                Strings.substr(m, pos, len, Strings.BYTE).toStringArray());
        Tensor utf = s("Hällo wörld");
        assertEquals("ällo", Strings.substr(utf, 1, 4, Strings.UTF8_CHAR).stringValue());
        assertEquals("wörld", Strings.substr(utf, -5, 5, Strings.UTF8_CHAR).stringValue());
        OpException e = assertThrows(OpException.class, () -> Strings.substr(in, 6, 1));
        assertTrue(e.getMessage().contains("pos 6 is out of range"), e.getMessage());
    }

    /** tf.strings.as_string's and to_number's documented defaults: %f with 6 decimals, float32 by default. */
    @Test
    void numbersToAndFromText() {
        assertArrayEquals(new String[] {"3.140000", "2.718280"}, Strings.asString(Tensors.of(new float[] {3.14f,
            2.71828f}, 2)).toStringArray());
        assertArrayEquals(new String[] {"3.14", "2.72"}, Strings.asString(Tensors.of(new float[] {3.14f, 2.71828f},
            2), 2, false, false, -1, "").toStringArray());
        assertArrayEquals(new String[] {"true", "false"}, Strings.asString(Tensors.of(new boolean[] {true, false}))
                .toStringArray());
        assertEquals("00042", Strings.asString(Tensors.scalar(42L), -1, false, false, 5, "0").stringValue());
        Tensor f = Strings.toNumber(s("1.5", " -3 "));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {1.5f, -3f}, f.toFloatArray());
        assertArrayEquals(new long[] {12}, Strings.toNumber(s("12"), DType.INT64).toLongArray());
        OpException e = assertThrows(OpException.class, () -> Strings.toNumber(s("abc")));
        assertTrue(e.getMessage().contains("could not correctly convert string: 'abc'"), e.getMessage());
        assertThrows(OpException.class, () -> Strings.asString(Tensors.scalar(1), 2, false, false, -1, ""));
        assertThrows(OpException.class, () -> Strings.asString(Tensors.scalar(1.0), 2, true, true, -1, ""));
        assertThrows(OpException.class, () -> Strings.asString(Tensors.scalar(1.0), 2, false, false, 5, "x"));
        assertThrows(OpException.class, () -> Strings.toNumber(s("1"), DType.UINT8));
    }

    @Test
    void caseAndRegularExpressions() {
        assertEquals("camelcase", Strings.lower(s("CamelCase")).toStringArray()[0]);
        assertEquals("ÄÖÜ abc", Strings.lower(s("ÄÖÜ ABC")).stringValue(), "ASCII letters only by default");
        assertEquals("äöü abc", Strings.lower(s("ÄÖÜ ABC"), "utf-8").stringValue());
        assertEquals("STRASSE", Strings.upper(s("straße"), "utf-8").stringValue());
        // tf.strings.regex_full_match(["TF lib", "lib TF"], ".*lib$") -> [True, False]
        assertArrayEquals(new boolean[] {true, false}, Strings.regexFullMatch(s("TF lib", "lib TF"), ".*lib$")
                .toBooleanArray());
        // tf.strings.regex_replace("Text with tags.<br /><b>contains html</b>", "<[^>]+>", " ")
        assertEquals("Text with tags.  contains html ", Strings.regexReplace(
                s("Text with tags.<br /><b>contains html</b>"), "<[^>]+>", " ").stringValue());
        assertEquals("b-a", Strings.regexReplace(s("a-b"), "(\\w)-(\\w)", "\\2-\\1").stringValue());
        assertEquals("x a", Strings.regexReplace(s("a a"), "a", "x", false).stringValue());
        assertEquals("ab\n", Strings.regexReplace(s("ab\n"), "b$", "X").stringValue(), "RE2's $ is the text's end");
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> Strings.regexFullMatch(s("aa"), "(a)\\1"));
        assertTrue(back.getMessage().contains("back-references"), back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strings.regexFullMatch(s("a"), "a(?=b)"));
        assertThrows(IllegalArgumentException.class, () -> Strings.regexFullMatch(s("a"), "(a"));
        assertThrows(IllegalArgumentException.class, () -> Strings.regexReplace(s("a"), "a", "\\x"));
    }

    @Test
    void stringOpsRunInGraphsAndSurviveGraphFiles() throws Exception {
        Graph g = new Graph();
        Tensor x, n, h;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            x = g.placeholder("x", DType.STRING, Shape.of(-1));
            Tensor words = Strings.upper(Strings.regexReplace(x, "\\s+", " "));
            n = Strings.length(Strings.join(words, "|"));
            h = Strings.toHashBucketFast(words, 1000);
        }
        Graph back = GraphIO.fromBytes(GraphIO.toBytes(g));
        for (Graph graph : List.of(g, back)) {
            try (Session session = new Session(graph)) {
                List<Tensor> out = session.run(List.of(graph.tensor(nameOf(g, n)), graph.tensor(nameOf(g, h))),
                        Map.of(graph.tensor("x:0"), s("a  b", "c")));
                assertEquals(5, out.get(0).intValue()); // "A B|C"
                assertArrayEquals(Strings.toHashBucketFast(s("A B", "C"), 1000).toLongArray(), out.get(1).toLongArray());
            }
        }
    }

    private static String nameOf(Graph g, Tensor t) { return g.outputOf(t).toString(); }

    /** A slice's view that starts at 0 is dense from zero but its array is longer: kernels must read only its part. */
    @Test
    void opsReadOnlyTheirInputsElementsOfASharedArray() {
        Tensor prefix = Ops.slice(s("a b", "cc", "d e f"), new int[] {0}, new int[] {2});
        assertArrayEquals(new int[] {3, 2}, Strings.length(prefix).toIntArray());
        assertEquals(List.of(List.of("a", "b"), List.of("cc")), Strings.split(prefix).toStringList());
        assertArrayEquals(new String[] {"a b", "cc"}, prefix.toStringArray());
        assertEquals("a b|cc", Strings.join(prefix, "|").stringValue());
    }

    @Test
    void stringsAreNotDifferentiable() {
        Tensor x = Tensors.of(new float[] {1.5f, 2f}, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Strings.toNumber(Strings.asString(x));
            assertEquals(DType.FLOAT32, y.dtype());
            Tensor g = tape.gradient(Ops.sum(y), x);
            assertEquals(null, g, "no gradient flows through strings");
        }
        for (org.nabla.ops.OpDef op : new StringOps().ops()) {
            assertTrue(!op.isDifferentiable(), op.name());
            OpException e = assertThrows(OpException.class, () -> org.nabla.ops.GradientRegistry.global().get(op));
            assertTrue(e.getMessage().contains("not differentiable"), e.getMessage());
        }
    }
}
