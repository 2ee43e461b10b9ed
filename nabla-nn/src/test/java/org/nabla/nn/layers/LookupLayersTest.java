package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.saving.SavedModel;

/**
 * TextVectorization, StringLookup and IntegerLookup against Keras 3.15's semantics ({@code
 * scripts/references/keras_lookup_reference.py}, which follows Keras' code with NumPy: Keras runs these layers on
 * TensorFlow): adapt's vocabulary and idf weights, and every output mode, eagerly, traced and in a saved model.
 */
class LookupLayersTest {
    static Stream<Case> cases() {
        return KerasReference.cases("/keras/lookup_layers.json",
                m -> m.get("layer") + " " + m.get("mode") + " max " + m.get("max_tokens")
                        + (m.get("mask") == null ? "" : " mask") + (Boolean.TRUE.equals(m.get("invert")) ? " invert" : "")
                        + (m.get("ngrams") == null ? "" : " ngrams " + m.get("ngrams"))
                        + (Boolean.TRUE.equals(m.get("pad_to_max_tokens")) ? " padded" : "")
                        + (m.containsKey("split") ? " standardize " + m.get("standardize") + " split " + m.get("split")
                                : ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c, @TempDir Path tmp) throws Exception {
        Map<String, Object> d = c.d();
        String layer = (String) d.get("layer"), mode = (String) d.get("mode");
        int maxTokens = ((Number) d.get("max_tokens")).intValue();
        List<Object> inputs = (List<Object>) d.get("inputs");
        boolean invert = Boolean.TRUE.equals(d.get("invert"));
        boolean padded = Boolean.TRUE.equals(d.get("pad_to_max_tokens"));
        LookupLayer<?> l;
        Tensor x;
        switch (layer) {
            case "text_vectorization" -> {
                TextVectorization t = new TextVectorization().outputMode(mode);
                int length = ((Number) d.get("length")).intValue();
                if (length > 0) t.outputSequenceLength(length);
                if (maxTokens > 0) t.maxTokens(maxTokens);
                if (d.get("ngrams") instanceof Number n) t.ngrams(n.intValue());
                if (d.get("ngrams") instanceof List<?> widths) {
                    t.ngramWidths(widths.stream().mapToInt(w -> ((Number) w).intValue()).toArray());
                }
                t.padToMaxTokens(padded);
                if (d.containsKey("split")) {
                    t.standardize((String) d.get("standardize")).split((String) d.get("split"));
                }
                t.adapt((List<String>) d.get("adapt"));
                l = t;
                x = Tensors.of(inputs.toArray(String[]::new));
            }
            case "string_lookup" -> {
                StringLookup s = new StringLookup().outputMode(mode);
                if (maxTokens > 0) s.maxTokens(maxTokens);
                if (d.get("mask") != null) s.maskToken((String) d.get("mask"));
                s.adapt((List<String>) d.get("adapt")).invert(invert).padToMaxTokens(padded);
                l = s;
                x = invert ? longs(inputs) : strings(inputs);
            }
            default -> {
                IntegerLookup s = new IntegerLookup().outputMode(mode);
                if (maxTokens > 0) s.maxTokens(maxTokens);
                if (d.get("mask") != null) s.maskToken(((Number) d.get("mask")).longValue());
                s.adapt(longs((List<Object>) d.get("adapt"))).invert(invert);
                l = s;
                x = longs(inputs);
            }
        }
        List<Object> vocabulary = (List<Object>) d.get("vocabulary");
        assertEquals(vocabulary.stream().map(v -> v instanceof Number n ? (Object) n.longValue() : v).toList(),
                l.vocabulary(), c + " vocabulary");
        if (d.get("idf") != null) {
            double[] idf = ((List<Number>) d.get("idf")).stream().mapToDouble(Number::doubleValue).toArray();
            assertArrayEquals(idf, l.idfWeights(), 1e-12, c + " idf");
        }
        java.util.function.BiConsumer<String, Tensor> verify;
        if (invert && layer.equals("string_lookup")) {
            String[] tokens = ((List<List<String>>) d.get("out")).stream().flatMap(List::stream).toArray(String[]::new);
            verify = (what, t) -> assertArrayEquals(tokens, t.toStringArray(), what);
        } else {
            double[] expected = ((List<List<Number>>) d.get("out")).stream().flatMap(List::stream)
                    .mapToDouble(Number::doubleValue).toArray();
            verify = (what, t) -> check(what, expected, t);
        }
        verify.accept(c + " eager", l.call(x));
        verify.accept(c + " traced", TracedFunction.of(a -> new Tensor[] {l.call(a[0])}).call(x)[0]);
        LayerOutput in = x.shape().rank() == 1 ? Input.of() : Input.of(x.shape().dim(1));
        Model m = Model.functional(in, l.apply(in));
        m.save(tmp.resolve("model"));
        try (SavedModel loaded = Model.load(tmp.resolve("model"))) {
            assertEquals(l.inputDType(), loaded.inputs().get(0).spec().dtype());
            verify.accept(c + " saved", loaded.predict(x)[0]);
        }
    }

    private static void check(String what, double[] expected, Tensor actual) {
        double[] got = actual.dtype() == DType.INT64
                ? java.util.Arrays.stream(actual.toLongArray()).asDoubleStream().toArray()
                : java.util.Arrays.stream(toDoubles(actual.toFloatArray())).toArray();
        assertArrayEquals(expected, got, 1e-6, what);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Tensor strings(List<Object> values) {
        if (!(values.get(0) instanceof List)) return Tensors.of(values.toArray(String[]::new));
        List<String> flat = new ArrayList<>();
        for (Object row : values) flat.addAll((List<String>) row);
        return Tensors.of(flat.toArray(String[]::new), values.size(), flat.size() / values.size());
    }

    @SuppressWarnings("unchecked")
    private static Tensor longs(List<Object> rows) {
        List<Long> flat = new ArrayList<>();
        for (Object row : rows) for (Object v : (List<Object>) row) flat.add(((Number) v).longValue());
        return Tensor.wrap(DType.INT64, Shape.of(rows.size(), flat.size() / rows.size()),
                flat.stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    void adaptOverBatchesEqualsAdaptOverTheirConcatenation() {
        String[] texts = {"b a c", "a b", "d a", "c", "e e e"};
        Tensor all = Tensors.of(texts);
        List<Tensor> batches = List.of(Tensors.of(new String[] {"b a c", "a b"}), Tensors.of(new String[] {"d a", "c",
                "e e e"}));
        TextVectorization one = new TextVectorization().outputMode("tf_idf").adapt(all);
        TextVectorization two = new TextVectorization().outputMode("tf_idf").adapt(batches);
        assertEquals(one.vocabulary(), two.vocabulary());
        assertArrayEquals(one.idfWeights(), two.idfWeights(), 0);
        assertEquals(new IntegerLookup().adapt(Tensors.of(new long[] {3, 1, 3, 2}, 4)).vocabulary(),
                new IntegerLookup().adapt(List.of(Tensors.of(new long[] {3, 1}, 2), Tensors.of(new long[] {3, 2}, 2)))
                        .vocabulary());
        assertEquals(List.of("[UNK]", "y", "x"), new StringLookup().adapt(List.of(Tensors.of(new String[] {"y"}),
                Tensors.of(new String[] {"x", "x", "y"}))).vocabulary());   // a tie: descending, as Keras
    }

    @Test
    void setVocabularyAcceptsTheSpecialTokensOrNotAndChecksTheRest() {
        TextVectorization t = new TextVectorization().outputSequenceLength(3).vocabulary(List.of("b", "a"));
        assertEquals(List.of("", "[UNK]", "b", "a"), t.vocabulary());
        assertEquals(t.vocabulary(), new TextVectorization().vocabulary(t.vocabulary()).vocabulary());
        assertArrayEquals(new long[] {3, 1, 2}, t.call(Tensors.of(new String[] {"A z B!"})).toLongArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new StringLookup().vocabulary(List.of("a", "a")));
        assertTrue(e.getMessage().contains("repeats"), e.getMessage());
        var noVocabulary = assertThrows(IllegalStateException.class,
                () -> new StringLookup().call(Tensors.of(new String[] {"a"})));
        assertTrue(noVocabulary.getMessage().contains("adapt it or set one"), noVocabulary.getMessage());
        var badMode = assertThrows(IllegalArgumentException.class, () -> new TextVectorization().outputMode("one_hot"));
        assertTrue(badMode.getMessage().contains("int, multi_hot, count or tf_idf"), badMode.getMessage());
        var invertBag = assertThrows(IllegalArgumentException.class, () -> new StringLookup().outputMode("multi_hot")
                .vocabulary(List.of("a")).invert(true).call(Tensors.of(new long[] {1}, 1)));
        assertTrue(invertBag.getMessage().contains("invert needs output mode int"), invertBag.getMessage());
        var invertStrings = assertThrows(IllegalArgumentException.class, () -> new StringLookup()
                .vocabulary(List.of("a")).invert(true).call(Tensors.of(new String[] {"a"})));
        assertTrue(invertStrings.getMessage().contains("needs int32 or int64 indices"), invertStrings.getMessage());
        var padWithoutMax = assertThrows(IllegalArgumentException.class, () -> new TextVectorization()
                .outputMode("count").padToMaxTokens(true).vocabulary(List.of("a")).call(Tensors.of(new String[] {"a"})));
        assertTrue(padWithoutMax.getMessage().contains("needs max tokens set"), padWithoutMax.getMessage());
        var badSplit = assertThrows(IllegalArgumentException.class, () -> new TextVectorization().split("word"));
        assertTrue(badSplit.getMessage().contains("unknown split 'word'"), badSplit.getMessage());
        var noWidth = assertThrows(IllegalArgumentException.class, () -> new TextVectorization().ngramWidths(2, 0));
        assertTrue(noWidth.getMessage().contains("n-gram widths must be >= 1"), noWidth.getMessage());
        IntegerLookup ints = new IntegerLookup().vocabulary(List.of(5L, 7L));
        assertArrayEquals(new long[] {2, 0, 1}, ints.call(Tensors.of(new int[] {7, 6, 5}, 3)).toLongArray());
    }
}
