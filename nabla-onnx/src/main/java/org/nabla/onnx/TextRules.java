package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * TfIdfVectorizer on integer token ids (string tokens need the string dtype): counts each pool n-gram of a length in
 * [min_gram_length, max_gram_length] in every row, its tokens 0 to max_skip_count apart (each gap counted apart;
 * unigrams once), by comparing shifted windows of the row; then TF (the counts), IDF (1 where present, times the
 * weight) or TFIDF (counts times weights), each n-gram at its ngram_indexes position.
 */
final class TextRules {
    private TextRules() {}

    static void register(OnnxOperators r) {
        r.one("TfIdfVectorizer", TextRules::tfIdf);
    }

    private static Tensor tfIdf(OnnxNode n) {
        Tensor x = n.required(0);
        if (!x.dtype().isInteger()) throw n.unsupported("TfIdfVectorizer on " + x.dtype() + " tokens (Nabla counts "
                + "integer tokens)");
        boolean batched = x.rank() == 2;
        Tensor rows = Ops.cast(batched ? x : Ops.expandDims(x, 0), DType.INT64);
        int len = NnRules.knownDim(n, rows, 1);
        int minLen = (int) n.attrInt("min_gram_length", 1), maxLen = (int) n.attrInt("max_gram_length", 1);
        int maxSkip = (int) n.attrInt("max_skip_count", 0);
        long[] pool = n.attrLongs("pool_int64s", null);
        if (pool == null) throw n.unsupported("pool_strings (string n-grams need the string dtype)");
        long[] starts = n.attrLongs("ngram_counts", null), indexes = n.attrLongs("ngram_indexes", null);
        if (starts == null || indexes == null) throw n.error("needs ngram_counts and ngram_indexes");
        float[] weights = n.attrFloats("weights", null);
        String mode = n.attrString("mode", "TF");
        int outSize = 0;
        for (long i : indexes) outSize = Math.max(outSize, (int) i + 1);
        List<Tensor> counts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int gram = 0; // the n-gram's number in the pool (its ngram_indexes entry)
        for (int level = 0; level < starts.length; level++) {
            int length = level + 1;
            int from = (int) starts[level], to = level + 1 < starts.length ? (int) starts[level + 1] : pool.length;
            for (int at = from; at + length <= to; at += length, gram++) {
                if (length < minLen || length > maxLen) continue;
                Tensor total = null;
                for (int skip = 0; skip <= (length == 1 ? 0 : maxSkip); skip++) {
                    int span = (length - 1) * (skip + 1);
                    if (span >= len) break;
                    Tensor match = null;
                    for (int t = 0; t < length; t++) {
                        Tensor window = Ops.slice(rows, new int[] {0, t * (skip + 1)}, new int[] {-1, len - span});
                        Tensor eq = Ops.equal(window, pool[at + t]);
                        match = match == null ? eq : Ops.logicalAnd(match, eq);
                    }
                    Tensor c = Ops.sum(Ops.cast(match, DType.FLOAT32), 1);
                    total = total == null ? c : Ops.add(total, c);
                }
                if (total == null) total = Ops.zeros(DType.FLOAT32, NnRules.knownDim(n, rows, 0));
                float w = weights == null ? 1 : weights[gram];
                total = switch (mode) {
                    case "TF" -> total;
                    case "IDF" -> Ops.mul(Ops.minimum(total, 1f), w);
                    case "TFIDF" -> Ops.mul(total, w);
                    default -> throw n.error("mode '" + mode + "' (TF, IDF, TFIDF)");
                };
                counts.add(total);
                slots.add((int) indexes[gram]);
            }
        }
        int batch = NnRules.knownDim(n, rows, 0);
        Tensor y = Ops.zeros(DType.FLOAT32, batch, outSize);
        if (!counts.isEmpty()) {
            float[] place = new float[counts.size() * outSize];
            for (int j = 0; j < slots.size(); j++) place[j * outSize + slots.get(j)] = 1;
            y = Ops.matmul(Ops.stack(counts, 1), Tensors.of(place, counts.size(), outSize));
        }
        return batched ? y : Ops.squeeze(y, 0);
    }
}
