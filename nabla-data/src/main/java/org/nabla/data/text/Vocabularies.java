package org.nabla.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The order in which Keras' lookup layers ({@code TextVectorization}, {@code StringLookup}, {@code IntegerLookup})
 * rank the tokens they learn by {@code adapt}: the most frequent first, ties broken by the token itself in
 * descending order (Keras sorts with {@code np.lexsort((tokens, counts))[::-1]}; strings compare by their UTF-8
 * bytes, numbers by value).
 */
public final class Vocabularies {
    private Vocabularies() {}

    /** The {@code limit} (negative: all) highest-ranked strings of {@code counts}, in Keras' order. */
    public static List<String> rankStrings(Map<String, ? extends Number> counts, int limit) {
        record Entry(String token, byte[] utf8, long count) {}
        List<Entry> entries = new ArrayList<>(counts.size());
        counts.forEach((t, c) -> entries.add(new Entry(t, t.getBytes(StandardCharsets.UTF_8), c.longValue())));
        entries.sort((a, b) -> a.count != b.count ? Long.compare(b.count, a.count)
                : Arrays.compareUnsigned(b.utf8, a.utf8));
        return top(entries.stream().map(Entry::token).toList(), limit);
    }

    /** The {@code limit} (negative: all) highest-ranked numbers of {@code counts}, in Keras' order. */
    public static List<Long> rankIntegers(Map<Long, ? extends Number> counts, int limit) {
        List<Map.Entry<Long, ? extends Number>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue().longValue() != b.getValue().longValue()
                ? Long.compare(b.getValue().longValue(), a.getValue().longValue()) : Long.compare(b.getKey(), a.getKey()));
        return top(entries.stream().map(Map.Entry::getKey).map(Long::valueOf).toList(), limit);
    }

    private static <T> List<T> top(List<T> ranked, int limit) {
        return limit < 0 || limit >= ranked.size() ? ranked : ranked.subList(0, limit);
    }
}
