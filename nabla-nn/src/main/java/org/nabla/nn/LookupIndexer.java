package org.nabla.nn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpException;

/**
 * The index of each value a lookup kernel reads: its place in the vocabulary, else an out-of-vocabulary index
 * ({@link OovBuckets}). Keras' table holds the tokens and the mask token but not the oov tokens, so a value equal to
 * the oov token counts as out of vocabulary. With no oov indices the values outside are collected for one error.
 * One per kernel call (not thread-safe).
 */
final class LookupIndexer {
    private static final int LISTED_MISSES = 10;

    private final Map<Object, Integer> index;
    private final int oovStart;
    private final OovBuckets oov;
    private final List<String> misses = new ArrayList<>();
    private int missCount;

    LookupIndexer(Map<Object, Integer> index, Attrs a) {
        this.index = index;
        this.oovStart = a.getInt("oovIndex");
        this.oov = OovBuckets.of(a);
    }

    /** The index of a string given as its UTF-8 bytes. */
    int of(byte[] utf8) {
        int i = found(new String(utf8, StandardCharsets.UTF_8));
        return i >= 0 ? i : outside(utf8, 0, true);
    }

    /** The index of a string (a token TextVectorize split off). */
    int of(String token) {
        int i = found(token);
        return i >= 0 ? i : outside(token.getBytes(StandardCharsets.UTF_8), 0, true);
    }

    /** The index of an integer. */
    int of(long value) {
        int i = found(value);
        return i >= 0 ? i : outside(null, value, false);
    }

    /** The vocabulary index of a key, or -1 when absent or one of the oov tokens' places. */
    private int found(Object key) {
        Integer i = index.get(key);
        return i == null || (i >= oovStart && i < oovStart + oov.count()) ? -1 : i;
    }

    private int outside(byte[] utf8, long value, boolean string) {
        if (oov.count() == 1) return oovStart;
        if (oov.count() > 1) return oovStart + (int) (string ? oov.bucket(utf8) : oov.bucket(value));
        if (missCount++ < LISTED_MISSES) {
            misses.add(string ? "'" + new String(utf8, StandardCharsets.UTF_8) + "'" : Long.toString(value));
        }
        return 0;
    }

    /** Fails, naming the values outside the vocabulary, when there were any and no oov index to give them. */
    void requireAllFound(String op) {
        if (missCount == 0) return;
        throw new OpException(op, "numOovIndices is 0, so every value must be in the vocabulary; found " + missCount
                + " outside it: " + String.join(", ", misses) + (missCount > misses.size() ? ", ..." : "")
                + " (set num oov indices to 1 or more to map them)");
    }
}
