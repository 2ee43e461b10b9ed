package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.LookupOps;
import org.nabla.nn.Model;
import org.nabla.nn.OovBuckets;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.OpException;

/**
 * StringLookup, IntegerLookup and TextVectorization with several out-of-vocabulary indices (Keras'
 * {@code num_oov_indices}). The expected indices are worked out here, independently of the layers: Keras' layout
 * ({@code index_lookup.py}: the mask token in output mode int, then the oov indices, then the tokens) written out, and
 * the buckets from Guava's FarmHash Fingerprint64 and SipHash-2-4 (a test-only dependency) or {@code Math.floorMod},
 * as {@code _lookup_dense} picks them. Keras' own documented examples pin the rule. Every case runs eagerly, traced
 * and from a saved model.
 */
class LookupOovIndicesTest {
    private static final HashFunction FARMHASH = Hashing.farmHashFingerprint64();

    /** Keras' index of a value: its place after the mask and the n oov indices, else oovStart plus its bucket. */
    private static <T> long kerasIndex(T value, List<T> tokens, T mask, int oovStart, int n, ToLongFunction<T> bucket) {
        if (value.equals(mask)) return 0;
        int i = tokens.indexOf(value);
        return i >= 0 ? oovStart + n + i : oovStart + bucket.applyAsLong(value);
    }

    private static long farmBucket(String s, int n) {
        return Long.remainderUnsigned(FARMHASH.hashBytes(s.getBytes(StandardCharsets.UTF_8)).asLong(), n);
    }

    private static long sipBucket(String s, long k0, long k1, int n) {
        return Long.remainderUnsigned(Hashing.sipHash24(k0, k1).hashBytes(s.getBytes(StandardCharsets.UTF_8)).asLong(),
                n);
    }

    /** The layer's output eagerly, traced and from a saved model, each checked against {@code expected}. */
    private static void checkEverywhere(LookupLayer<?> layer, Tensor x, double[] expected, Path tmp) throws Exception {
        check("eager", expected, layer.call(x));
        check("traced", expected, TracedFunction.of(a -> new Tensor[] {layer.call(a[0])}).call(x)[0]);
        LayerOutput in = x.shape().rank() == 1 ? Input.of() : Input.of(x.shape().dim(1));
        Model m = Model.functional(in, layer.apply(in));
        Path dir = tmp.resolve("model" + System.nanoTime());
        m.save(dir);
        try (SavedModel loaded = Model.load(dir)) {
            check("saved", expected, loaded.predict(x)[0]);
        }
    }

    private static void check(String what, double[] expected, Tensor actual) {
        double[] got = new double[expected.length];
        if (actual.dtype() == DType.INT64) {
            long[] l = actual.toLongArray();
            for (int i = 0; i < l.length && i < got.length; i++) got[i] = l[i];
            assertEquals(expected.length, l.length, what);
        } else {
            float[] f = actual.toFloatArray();
            for (int i = 0; i < f.length && i < got.length; i++) got[i] = f[i];
            assertEquals(expected.length, f.length, what);
        }
        assertArrayEquals(expected, got, 1e-6, what);
    }

    private static double[] doubles(long[] ids) { return java.util.Arrays.stream(ids).asDoubleStream().toArray(); }

    /** MULTI_HOT, COUNT or TF_IDF of rows of indices, as Keras' bincount does it. */
    private static double[] bags(long[][] rows, String mode, int depth, double[] idf) {
        double[] out = new double[rows.length * depth];
        for (int r = 0; r < rows.length; r++) {
            for (long id : rows[r]) {
                if (mode.equals("multi_hot")) out[r * depth + (int) id] = 1;
                else out[r * depth + (int) id] += 1;
            }
            if (mode.equals("tf_idf")) for (int j = 0; j < depth; j++) out[r * depth + j] = (float) (out[r * depth + j] * idf[j]);
        }
        return out;
    }

    /** The string inputs: in and out of the vocabulary, "[UNK]" itself, UTF-8, every Fingerprint64 length branch. */
    private static final List<String> WORDS = List.of("a", "b", "c", "d", "m", "z", "[UNK]", "", "naïve", "中文", "😀x",
            "0123456789abcdef", "0123456789abcdefg", "x".repeat(40), "y".repeat(64), "z".repeat(65),
            "long ".repeat(30));

    /** Keras' documented examples (string_lookup.py, integer_lookup.py) of num_oov_indices and oov_method. */
    @Test
    void kerasDocumentedExamples(@TempDir Path tmp) throws Exception {
        StringLookup s = new StringLookup().numOovIndices(2).vocabulary(List.of("a", "b", "c", "d"));
        checkEverywhere(s, Tensors.of(new String[] {"a", "c", "d", "m", "z", "b"}, 2, 3),
                new double[] {2, 4, 5, 0, 1, 3}, tmp);
        assertEquals(List.of("[UNK]", "[UNK]", "a", "b", "c", "d"), s.vocabulary());
        IntegerLookup i = new IntegerLookup().numOovIndices(2).vocabulary(List.of(12L, 36L, 1138L, 42L));
        checkEverywhere(i, Tensors.of(new long[] {12, 1138, 42, 37, 1000, 36}, 2, 3),
                new double[] {2, 4, 5, 1, 0, 3}, tmp);
        Tensor spread = Tensors.of(new long[] {100, 300, 700, 1100, 1700, 2000}, 6);
        checkEverywhere(new IntegerLookup().numOovIndices(4).oovMethod("floormod").vocabulary(List.of(10L, 20L, 30L)),
                spread, new double[] {0, 0, 0, 0, 0, 0}, tmp);
        checkEverywhere(new IntegerLookup().numOovIndices(4).oovMethod("farmhash").vocabulary(List.of(10L, 20L, 30L)),
                spread, new double[] {3, 3, 2, 2, 0, 1}, tmp);
    }

    @Test
    void stringLookupHashesOutOfVocabularyStringsLikeKeras(@TempDir Path tmp) throws Exception {
        List<String> tokens = List.of("d", "c", "b", "a", "naïve");
        Tensor x = Tensors.of(WORDS.toArray(String[]::new), WORDS.size());
        // "[UNK]" itself is out of vocabulary in Keras' table: hashed, so not always the first oov index
        assertTrue(farmBucket("[UNK]", 7) != 0 || farmBucket("[UNK]", 3) != 0, "a case that tells the two apart");
        for (int n : new int[] {2, 3, 7}) {
            for (String mask : new String[] {null, ""}) {
                StringLookup layer = new StringLookup().numOovIndices(n);
                if (mask != null) layer.maskToken(mask);
                layer.vocabulary(tokens);
                int start = mask == null ? 0 : 1;
                List<String> layout = new ArrayList<>();
                if (mask != null) layout.add(mask);
                layout.addAll(Collections.nCopies(n, "[UNK]"));
                layout.addAll(tokens);
                assertEquals(layout, layer.vocabulary());
                long[] want = WORDS.stream().mapToLong(w -> kerasIndex(w, tokens, mask, start, n,
                        v -> farmBucket(v, n))).toArray();
                checkEverywhere(layer, x, doubles(want), tmp);
            }
            long k0 = 0x0706050403020100L, k1 = -7;
            StringLookup salted = new StringLookup().numOovIndices(n).salt(k0, k1).vocabulary(tokens);
            long[] want = WORDS.stream().mapToLong(w -> kerasIndex(w, tokens, null, 0, n,
                    v -> sipBucket(v, k0, k1, n))).toArray();
            checkEverywhere(salted, x, doubles(want), tmp);
        }
    }

    /** The bag and one-hot modes count the hashed oov indices like any other index. */
    @Test
    void bagModesCountTheHashedIndices(@TempDir Path tmp) throws Exception {
        int n = 3;
        List<String> tokens = List.of("a", "b", "c");
        String[][] rows = {{"a", "m", "z", "[UNK]"}, {"b", "b", "q", "naïve"}, {"x".repeat(70), "c", "a", "m"}};
        long[][] ids = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            ids[r] = java.util.Arrays.stream(rows[r]).mapToLong(w -> kerasIndex(w, tokens, null, 0, n,
                    v -> farmBucket(v, n))).toArray();
        }
        Tensor x = Tensors.of(java.util.Arrays.stream(rows).flatMap(java.util.Arrays::stream).toArray(String[]::new),
                3, 4);
        int depth = n + tokens.size();
        double[] idf = {0.5, 0.5, 0.5, 0.25, 0.5, 0.75};
        for (String mode : List.of("multi_hot", "count", "tf_idf")) {
            StringLookup layer = new StringLookup().numOovIndices(n).outputMode(mode);
            if (mode.equals("tf_idf")) layer.vocabulary(tokens, new double[] {0.25, 0.5, 0.75});
            else layer.vocabulary(tokens);
            checkEverywhere(layer, x, bags(ids, mode, depth, idf), tmp);
        }
        StringLookup oneHot = new StringLookup().numOovIndices(n).outputMode("one_hot").vocabulary(tokens);
        double[] hot = new double[12 * depth];
        for (int k = 0; k < 12; k++) hot[k * depth + (int) ids[k / 4][k % 4]] = 1;
        checkEverywhere(oneHot, Tensors.of(java.util.Arrays.stream(rows).flatMap(java.util.Arrays::stream)
                .toArray(String[]::new), 12), hot, tmp);
    }

    @Test
    void integerLookupFloorModFarmHashAndSalt(@TempDir Path tmp) throws Exception {
        List<Long> tokens = List.of(5L, 7L, 1000L);
        long[] values = {5, 7, 1000, -1, 0, 3, -3, 41, Long.MAX_VALUE, Long.MIN_VALUE, 123456789012L, -98765};
        Tensor x = Tensors.of(values, 3, 4);
        int n = 5;
        for (Long mask : new Long[] {null, 0L}) {
            IntegerLookup floor = new IntegerLookup().numOovIndices(n);
            if (mask != null) floor.maskToken(mask);
            floor.vocabulary(tokens);
            int start = mask == null ? 0 : 1;
            long[] want = java.util.Arrays.stream(values).mapToObj(Long::valueOf).mapToLong(v -> kerasIndex(v, tokens,
                    mask, start, n, w -> Math.floorMod(w, (long) n))).toArray();
            checkEverywhere(floor, x, doubles(want), tmp);
            IntegerLookup farm = new IntegerLookup().numOovIndices(n).oovMethod("farmhash");
            if (mask != null) farm.maskToken(mask);
            farm.vocabulary(tokens);
            long[] wantFarm = java.util.Arrays.stream(values).mapToObj(Long::valueOf).mapToLong(v -> kerasIndex(v,
                    tokens, mask, start, n, w -> farmBucket(Long.toString(w), n))).toArray();
            checkEverywhere(farm, x, doubles(wantFarm), tmp);
        }
        IntegerLookup salted = new IntegerLookup().numOovIndices(n).oovMethod("farmhash").salt(42).vocabulary(tokens);
        long[] want = java.util.Arrays.stream(values).mapToObj(Long::valueOf).mapToLong(v -> kerasIndex(v, tokens,
                null, 0, n, w -> sipBucket(Long.toString(w), 42, 42, n))).toArray();
        checkEverywhere(salted, x, doubles(want), tmp);
        // int32 values are widened first, so they bucket as the same int64 values
        assertArrayEquals(salted.call(Tensors.of(new long[] {-3, 41, 5, 8}, 1, 4)).toLongArray(),
                salted.call(Tensors.of(new int[] {-3, 41, 5, 8}, 1, 4)).toLongArray());
    }

    @Test
    void textVectorizationHashesOutOfVocabularyTokens(@TempDir Path tmp) throws Exception {
        int n = 3;
        TextVectorization t = new TextVectorization().numOovIndices(n).outputSequenceLength(6)
                .adapt(List.of("the cat sat", "the dog", "the cat"));
        List<String> tokens = List.of("the", "cat", "sat", "dog");
        List<String> layout = new ArrayList<>(List.of(""));
        layout.addAll(Collections.nCopies(n, "[UNK]"));
        layout.addAll(tokens);
        assertEquals(layout, t.vocabulary());
        String[] texts = {"The bird and the CAT!", "zebra yak unk", "naïve café"};
        long[] want = new long[texts.length * 6];
        for (int r = 0; r < texts.length; r++) {
            String[] words = texts[r].toLowerCase(java.util.Locale.ROOT).replaceAll("\\p{Punct}", "").split(" ");
            for (int i = 0; i < words.length; i++) {
                want[r * 6 + i] = kerasIndex(words[i], tokens, "", 1, n, v -> farmBucket(v, n));
            }
        }
        checkEverywhere(t, Tensors.of(texts), doubles(want), tmp);
        TextVectorization counts = new TextVectorization().numOovIndices(n).outputMode("count")
                .vocabulary(List.of("the", "cat"));
        // bags have no mask token: the oov indices start at 0
        long[][] ids = {java.util.Arrays.stream(new String[] {"the", "cat", "bird", "and"}).mapToLong(w -> kerasIndex(w,
                List.of("the", "cat"), null, 0, n, v -> farmBucket(v, n))).toArray()};
        checkEverywhere(counts, Tensors.of(new String[] {"the cat bird and"}), bags(ids, "count", n + 2, null), tmp);
    }

    @Test
    void adaptAndSetVocabularyCountTheOovIndices() {
        StringLookup s = new StringLookup().numOovIndices(3).maxTokens(5).adapt(List.of("a", "b", "b", "c", "c", "c"));
        assertEquals(List.of("[UNK]", "[UNK]", "[UNK]", "c", "b"), s.vocabulary());
        StringLookup tfidf = new StringLookup().numOovIndices(2).outputMode("tf_idf").adapt(Tensors.of(new String[] {
            "a", "b", "a", "c"}, 2, 2));
        double[] idf = tfidf.idfWeights();
        assertEquals(tfidf.vocabularySize(), idf.length);
        assertEquals(idf[0], idf[1], 0);
        assertEquals(idf[0], java.util.Arrays.stream(idf, 2, idf.length).average().orElseThrow(), 1e-12);
        StringLookup given = new StringLookup().numOovIndices(2).vocabulary(List.of("[UNK]", "[UNK]", "x", "y"));
        assertEquals(List.of("[UNK]", "[UNK]", "x", "y"), given.vocabulary());
        var misplaced = assertThrows(IllegalArgumentException.class,
                () -> new StringLookup().numOovIndices(2).vocabulary(List.of("[UNK]", "x", "y")));
        assertTrue(misplaced.getMessage().contains("special token '[UNK]'"), misplaced.getMessage());
        IntegerLookup zero = new IntegerLookup().numOovIndices(0).vocabulary(List.of(4L, 9L));
        assertEquals(List.of(4L, 9L), zero.vocabulary());
    }

    @Test
    void invertMapsEveryOovIndexBackToTheOovToken() {
        StringLookup inverse = new StringLookup().numOovIndices(3).maskToken("<m>").vocabulary(List.of("a", "b"))
                .invert(true);
        assertArrayEquals(new String[] {"<m>", "[UNK]", "[UNK]", "[UNK]", "a", "b", "[UNK]", "[UNK]"},
                inverse.call(Tensors.of(new long[] {0, 1, 2, 3, 4, 5, 6, -1}, 8)).toStringArray());
        IntegerLookup none = new IntegerLookup().numOovIndices(0).vocabulary(List.of(4L, 9L)).invert(true);
        assertArrayEquals(new long[] {4, 9, -1, -1}, none.call(Tensors.of(new long[] {0, 1, 2, -5}, 4)).toLongArray());
        IntegerLookup traced = new IntegerLookup().numOovIndices(2).vocabulary(List.of(4L, 9L)).invert(true);
        assertArrayEquals(new long[] {-1, -1, 4, 9, -1}, TracedFunction.of(a -> new Tensor[] {traced.call(a[0])})
                .call(Tensors.of(new long[] {0, 1, 2, 3, 4}, 5))[0].toLongArray());
    }

    @Test
    void noOovIndexRefusesValuesOutsideTheVocabulary() {
        StringLookup s = new StringLookup().numOovIndices(0).vocabulary(List.of("a", "b"));
        assertArrayEquals(new long[] {1, 0}, s.call(Tensors.of(new String[] {"b", "a"})).toLongArray());
        var e = assertThrows(OpException.class, () -> s.call(Tensors.of(new String[] {"a", "zz", "[UNK]"})));
        assertTrue(e.getMessage().contains("numOovIndices is 0") && e.getMessage().contains("'zz', '[UNK]'"),
                e.getMessage());
        IntegerLookup i = new IntegerLookup().numOovIndices(0).vocabulary(List.of(3L));
        var ints = assertThrows(OpException.class, () -> i.call(Tensors.of(new long[] {3, 8}, 2)));
        assertTrue(ints.getMessage().contains("found 1 outside it: 8"), ints.getMessage());
    }

    /** A graph written before the oov attributes existed has none of them: the defaults give one oov index. */
    @Test
    void opsWithoutTheOovAttributesHaveOneOovIndex() {
        Tensor vocabulary = Tensors.of(new String[] {"[UNK]", "a", "b"});
        Tensor ids = org.nabla.Ops.run(LookupOps.INDEX_LOOKUP, org.nabla.ops.Attrs.of("vocabulary", vocabulary,
                "oovIndex", 0, "outputMode", "INT", "idf", new double[0]), Tensors.of(new String[] {"b", "zz", "[UNK]"}));
        assertArrayEquals(new long[] {2, 0, 0}, ids.toLongArray());
    }

    @Test
    void badSettingsGiveClearErrors() {
        var negative = assertThrows(IllegalArgumentException.class, () -> new StringLookup().numOovIndices(-1));
        assertTrue(negative.getMessage().contains("num oov indices must be >= 0, got -1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().numOovIndices(-2));
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().numOovIndices(-3));
        var method = assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().oovMethod("modulo"));
        assertTrue(method.getMessage().contains("floormod or farmhash"), method.getMessage());
        var salt = assertThrows(IllegalArgumentException.class, () -> new IntegerLookup().numOovIndices(2).salt(1));
        assertTrue(salt.getMessage().contains("salt needs oov method farmhash"), salt.getMessage());
        StringLookup built = new StringLookup().vocabulary(List.of("a"));
        built.call(Tensors.of(new String[] {"a"}));
        var late = assertThrows(IllegalStateException.class, () -> built.numOovIndices(2));
        assertTrue(late.getMessage().contains("is built"), late.getMessage());
        Tensor vocabulary = Tensors.of(new String[] {"[UNK]", "[UNK]", "a"});
        var floorStrings = assertThrows(OpException.class, () -> LookupOps.indexLookup(Tensors.of(new String[] {"a"}),
                vocabulary, 0, "INT", new double[0], new OovBuckets(2, "FLOORMOD", 0, 0)));
        assertTrue(floorStrings.getMessage().contains("FLOORMOD is for integer values"), floorStrings.getMessage());
        var tooMany = assertThrows(OpException.class, () -> LookupOps.indexLookup(Tensors.of(new String[] {"a"}),
                vocabulary, 0, "INT", new double[0], new OovBuckets(4, "FARMHASH", 0, 0)));
        assertTrue(tooMany.getMessage().contains("outside the vocabulary of 3"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OovBuckets(-1, "FARMHASH", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OovBuckets(2, "MD5", 0, 0));
    }
}
