package org.nabla.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nabla.data.text.TextVectorizer;

/**
 * How Keras' {@code TextVectorization} turns a text into the tokens it looks up ({@code _preprocess}):
 * standardization, split, then n-grams. The option names are Keras', upper case as the op's attributes spell them.
 */
public final class TextSplitting {
    private TextSplitting() {}

    /** Standardizations: Keras' {@code standardize} values; NONE leaves the text as it is. */
    public static final List<String> STANDARDIZE = List.of("LOWER_AND_STRIP_PUNCTUATION", "LOWER",
            "STRIP_PUNCTUATION", "NONE");

    /** Splits: Keras' {@code split} values; NONE keeps the whole text as one token. */
    public static final List<String> SPLIT = List.of("WHITESPACE", "CHARACTER", "NONE");

    /** {@code value} upper-cased if it is one of {@code allowed}; else a clear error naming {@code who}. */
    public static String check(String who, String what, String value, List<String> allowed) {
        String v = value == null ? "NONE" : value.toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(who + ": unknown " + what + " '" + value + "'; known: "
                    + allowed.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList() + " (none: null or \"none\")");
        }
        return v;
    }

    /**
     * The tokens of {@code text}: standardized (tf.strings.lower lowers ASCII letters only; the punctuation Keras
     * strips is ASCII's), split on ASCII whitespace (empty pieces dropped), into Unicode code points, or not at all,
     * then the n-grams of {@code ngrams}' widths ({@link #ngrams}; none: the tokens).
     */
    public static List<String> tokens(String text, String standardize, String split, int[] ngrams) {
        String s = switch (standardize) {
            case "LOWER_AND_STRIP_PUNCTUATION" -> TextVectorizer.standardize(text);
            case "LOWER" -> edit(text, true, false);
            case "STRIP_PUNCTUATION" -> edit(text, false, true);
            default -> text;
        };
        List<String> tokens = switch (split) {
            case "WHITESPACE" -> TextVectorizer.splitOnWhitespace(s);
            case "CHARACTER" -> s.codePoints().mapToObj(Character::toString).toList();
            default -> List.of(s);
        };
        return ngrams(tokens, ngrams);
    }

    private static String edit(String text, boolean lower, boolean strip) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (strip && (c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~')) {
                continue;
            }
            sb.append(lower && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return sb.toString();
    }

    /**
     * The n-grams of {@code tokens} for each width in {@code widths}, in that order, each joined by a space: Keras'
     * {@code TextVectorization(ngrams=...)} through {@code tf.strings.ngrams} (no padding, so a text shorter than a
     * width has none of it). No widths: the tokens themselves.
     */
    public static List<String> ngrams(List<String> tokens, int[] widths) {
        if (widths.length == 0) return tokens;
        List<String> out = new ArrayList<>();
        for (int w : widths) {
            for (int i = 0; i + w <= tokens.size(); i++) out.add(String.join(" ", tokens.subList(i, i + w)));
        }
        return out;
    }
}
