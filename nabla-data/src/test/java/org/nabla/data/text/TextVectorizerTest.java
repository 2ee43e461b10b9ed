package org.nabla.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.data.datasets.SpamAssassin;
import org.nabla.io.Json;

/**
 * TextVectorizer against Python (scripts/references/keras_spam.py wrote src/test/resources/text/spam_vectorizer.json
 * with its own standardization, vocabulary and encoding) and hand-worked cases.
 */
class TextVectorizerTest {
    @TempDir Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference() throws IOException {
        try (InputStream in = TextVectorizerTest.class.getResourceAsStream("/text/spam_vectorizer.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void standardizesAndSplitsAsThePythonReference() throws IOException {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) reference().get("tokens");
        assertTrue(cases.size() >= 9);
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            assertEquals(c.get("standardized"), TextVectorizer.standardize(text), text);
            assertEquals(c.get("tokens"), TextVectorizer.tokens(text), text);
        }
    }

    @Test
    void learnsTheMostFrequentTokensTiesByText() {
        TextVectorizer v = TextVectorizer.adapt(List.of("b a c", "a b", "d a", "c"), 5);
        // a: 3, b: 2, c: 2, d: 1; b and c tie and go by text, descending as in Keras; d does not fit
        assertEquals(List.of("", "[UNK]", "a", "c", "b"), v.vocabulary());
        assertArrayEquals(new int[] {2, 1, 3, 0, 0}, v.encode("A! d c", 5));
        assertArrayEquals(new int[] {4, 2}, v.encode("b a c c", 2));
        Tensor t = v.encode(List.of("a", "c b"), 3);
        assertArrayEquals(new int[] {2, 3}, t.shape().dims());
        assertArrayEquals(new int[] {2, 0, 0, 3, 4, 0}, t.toIntArray());
        assertThrows(IllegalArgumentException.class, () -> TextVectorizer.adapt(List.of("a"), 2));
        assertThrows(IllegalArgumentException.class, () -> TextVectorizer.of(List.of("a", "b")));
    }

    @Test
    void savesAndLoadsItsVocabulary() throws IOException {
        TextVectorizer v = TextVectorizer.adapt(List.of("ünï x y y", "x y"), 10);
        Path f = dir.resolve("vocabulary.txt");
        v.save(f);
        assertEquals(v.vocabulary(), TextVectorizer.load(f).vocabulary());
        Files.writeString(f, "a\nb\n");
        IOException e = assertThrows(IOException.class, () -> TextVectorizer.load(f));
        assertTrue(e.getMessage().contains("not a vocabulary file"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSpamCorpusVocabularyAndIdsEqualThePythonReference() throws IOException {
        Assumptions.assumeTrue(SpamAssassin.available(), "the SpamAssassin corpus is not installed "
                + "(scripts/setup-datasets.sh spam); skipping the comparison on the real corpus");
        Map<String, Object> ref = (Map<String, Object>) reference().get("corpus");
        SpamAssassin.Corpus c = SpamAssassin.load();
        assertEquals(((Number) ref.get("train")).intValue(), c.train().size());
        assertEquals(((Number) ref.get("test")).intValue(), c.test().size());
        assertEquals(((Number) ref.get("train_spam")).intValue(), java.util.Arrays.stream(c.train().labels()).sum());
        assertEquals(((Number) ref.get("test_spam")).intValue(), java.util.Arrays.stream(c.test().labels()).sum());
        String head = (String) ref.get("first_test_text_head");
        assertEquals(head, c.test().texts().get(0).substring(0, head.length()));
        TextVectorizer v = TextVectorizer.adapt(c.train().texts(), 20_000);
        assertEquals(((Number) ref.get("vocabulary_size")).intValue(), v.size());
        assertEquals(ref.get("vocabulary_head"), v.vocabulary().subList(0, 40));
        assertEquals(ref.get("vocabulary_tail"), v.vocabulary().subList(v.size() - 5, v.size()));
        List<List<Number>> ids = (List<List<Number>>) ref.get("first_test_ids");
        for (int r = 0; r < 3; r++) {
            int[] want = ids.get(r).stream().mapToInt(Number::intValue).toArray();
            assertArrayEquals(want, v.encode(c.test().texts().get(r), 200), "test message " + r);
        }
    }
}
