package org.nabla.data.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Turns text into sequences of token ids, as Keras' {@code TextVectorization(output_mode="int")} does with its
 * defaults: the text is standardized (ASCII letters lowercased, ASCII punctuation removed: Keras'
 * {@code lower_and_strip_punctuation}), split on whitespace, and each token is replaced by its index in a vocabulary
 * learned by {@link #adapt}: 0 is padding, 1 is {@value #OOV} for tokens outside the vocabulary, then the most
 * frequent tokens (ties broken by the token's text in descending order as Keras does, so the vocabulary does not
 * depend on the corpus' order: {@link Vocabularies}).
 * Sequences are cut or padded with 0 at the end to a fixed length. Immutable and thread-safe once built.
 */
public final class TextVectorizer {
    /** The out-of-vocabulary token at index 1. */
    public static final String OOV = "[UNK]";

    private final List<String> vocabulary;
    private final Map<String, Integer> index;

    private TextVectorizer(List<String> vocabulary) {
        if (vocabulary.size() < 2 || !vocabulary.get(0).isEmpty() || !vocabulary.get(1).equals(OOV)) {
            throw new IllegalArgumentException("a vocabulary starts with \"\" (padding) and " + OOV + ", got "
                    + vocabulary.subList(0, Math.min(2, vocabulary.size())));
        }
        this.vocabulary = List.copyOf(vocabulary);
        this.index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            if (index.put(vocabulary.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary token '" + vocabulary.get(i) + "' appears twice");
            }
        }
    }

    /**
     * Learns a vocabulary of at most {@code maxTokens} entries (padding and {@value #OOV} included) from the tokens of
     * {@code corpus}, the most frequent first.
     */
    public static TextVectorizer adapt(List<String> corpus, int maxTokens) {
        if (maxTokens < 3) throw new IllegalArgumentException("TextVectorizer.adapt: maxTokens " + maxTokens
                + " leaves no room for a token beyond padding and " + OOV);
        Map<String, Integer> counts = new HashMap<>();
        for (String text : corpus) {
            for (String t : tokens(text)) counts.merge(t, 1, Integer::sum);
        }
        counts.remove(OOV);
        List<String> vocab = new ArrayList<>(List.of("", OOV));
        vocab.addAll(Vocabularies.rankStrings(counts, maxTokens - 2));
        return new TextVectorizer(vocab);
    }

    /** A vectorizer with a given vocabulary (index 0 {@code ""}, index 1 {@value #OOV}, then the tokens). */
    public static TextVectorizer of(List<String> vocabulary) { return new TextVectorizer(vocabulary); }

    /** The vocabulary, by index. */
    public List<String> vocabulary() { return vocabulary; }

    /** How many ids there are: the {@code inputDim} of an Embedding that reads them. */
    public int size() { return vocabulary.size(); }

    /** Keras' {@code lower_and_strip_punctuation}: ASCII letters lowercased, ASCII punctuation removed. */
    public static String standardize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') sb.append((char) (c + ('a' - 'A')));
            else if (!isPunctuation(c)) sb.append(c);
        }
        return sb.toString();
    }

    /** The tokens of {@code text}: standardized, split on ASCII whitespace, empty pieces dropped. */
    public static List<String> tokens(String text) { return splitOnWhitespace(standardize(text)); }

    /** The pieces of {@code s} between ASCII whitespace (tf.strings.split's default), empty ones dropped. */
    public static List<String> splitOnWhitespace(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean space = i == s.length() || isSpace(s.charAt(i));
            if (space && start >= 0) {
                out.add(s.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return out;
    }

    /** The ids of {@code text}'s first {@code length} tokens, padded with 0 at the end. */
    public int[] encode(String text, int length) {
        if (length < 1) throw new IllegalArgumentException("TextVectorizer.encode: length " + length + " < 1");
        int[] ids = new int[length];
        List<String> tokens = tokens(text);
        for (int i = 0; i < Math.min(length, tokens.size()); i++) ids[i] = index.getOrDefault(tokens.get(i), 1);
        return ids;
    }

    /** The ids of every text as an int32 tensor {@code [texts, length]}. */
    public Tensor encode(List<String> texts, int length) {
        int[] all = new int[Math.multiplyExact(texts.size(), length)];
        for (int r = 0; r < texts.size(); r++) System.arraycopy(encode(texts.get(r), length), 0, all, r * length, length);
        return Tensor.wrap(DType.INT32, Shape.of(texts.size(), length), all);
    }

    /** Writes the vocabulary, one token a line in index order (via a temporary file, so no half-written file). */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, vocabulary, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a vocabulary {@link #save} wrote. */
    public static TextVectorizer load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            return new TextVectorizer(lines);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a vocabulary file: " + e.getMessage(), e);
        }
    }

    private static boolean isPunctuation(char c) {
        return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
