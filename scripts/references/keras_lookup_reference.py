#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's LookupLayersTest: Keras 3.15's TextVectorization, StringLookup and
IntegerLookup (adapt, get_vocabulary, idf weights, the int, one_hot, multi_hot, count and tf_idf outputs, and the
lookups' invert=True: indices back to tokens; TextVectorization's ngrams, standardize and split options, and
pad_to_max_tokens).
Keras 3 runs these layers on TensorFlow, which is not installed here, so this script follows their code
(keras/src/layers/preprocessing/index_lookup.py and text_vectorization.py) with NumPy: vocabulary ranked by
np.lexsort((tokens, counts))[::-1] (most frequent first, ties by token descending), the oov and mask tokens removed
from the counts, max_tokens counting the special tokens, idf = log(1 + documents / (1 + document frequency)) with
the special tokens' weight the mean of the others, mask tokens dropped from the bags outside output mode int.
Text standardization and splitting are keras_spam.py's (checked against the corpus).

  python3 scripts/references/keras_lookup_reference.py > nabla-nn/src/test/resources/keras/lookup_layers.json
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from keras_spam import tokens  # noqa: E402


def rank(counts, limit, strings):
    keys = list(counts)
    if not keys:
        return []
    toks = np.array([k.encode("utf-8") for k in keys] if strings else keys, dtype=object if strings else np.int64)
    order = np.lexsort((toks, np.array([counts[k] for k in keys])))[::-1]
    ranked = [keys[i] for i in order]
    return ranked if limit is None else ranked[:limit]


def adapt(rows, oov, mask, max_tokens, mode, strings):
    counts, docs = {}, {}
    for row in rows:
        for t in row:
            counts[t] = counts.get(t, 0) + 1
        for t in set(row):
            docs[t] = docs.get(t, 0) + 1
    counts.pop(oov, None)
    if mask is not None:
        counts.pop(mask, None)
    specials = ([mask] if mask is not None and mode == "int" else []) + [oov]
    limit = None if max_tokens is None else max_tokens - len(specials)
    toks = rank(counts, limit, strings)
    idf = [float(np.log(1 + len(rows) / (1 + docs[t]))) for t in toks]
    mean = float(np.mean(idf)) if idf else 0.0
    return specials + toks, [mean] * len(specials) + idf


def encode(rows, vocab, oov, mask, mode, idf, length=None, one_hot_rank1=True):
    index = {t: i for i, t in reversed(list(enumerate(vocab)))}
    oov_index = index[oov]
    if mode == "int":
        ids = [[index.get(t, oov_index) for t in row] for row in rows]
        if length is None:
            length = max(len(r) for r in ids)
        return [[(r[i] if i < len(r) else 0) for i in range(length)] for r in ids]
    depth = len(vocab)
    out = []
    for row in rows:
        v = [0.0] * depth
        for t in row:
            if mask is not None and t == mask:
                continue
            j = index.get(t, oov_index)
            v[j] = 1.0 if mode in ("multi_hot", "one_hot") else v[j] + 1.0
        if mode == "tf_idf":
            v = [float(np.float32(c * w)) for c, w in zip(v, idf)]
        out.append(v)
    return out


corpus = ["The cat sat on the mat.", "the dog ATE the cat's food!", "A dog; a cat; a bird?",
          "zebra yak xylophone", "Birds sing, dogs bark"]
texts = ["the cat and the unknown dog", "Zebra! zebra, yak...", "", "a a a bird the the mat sat on"]
cases = []
for mode, length, max_tokens in (("int", 6, 8), ("int", None, None), ("multi_hot", None, 7), ("count", None, 7),
                                 ("tf_idf", None, 7), ("tf_idf", None, None)):
    rows = [tokens(t) for t in corpus]
    vocab, idf = adapt(rows, "[UNK]", "", max_tokens, mode, True)
    out = encode([tokens(t) for t in texts], vocab, "[UNK]", "", mode, idf, length)
    cases.append({"layer": "text_vectorization", "mode": mode, "length": length or 0, "max_tokens": max_tokens or 0,
                  "adapt": corpus, "inputs": texts, "vocabulary": vocab, "idf": idf if mode == "tf_idf" else None,
                  "out": out})



def ngrams(toks, arg):
    # text_vectorization.py: ngrams=n means widths (1, ..., n), a tuple those widths; tf.strings.ngrams joins each
    # window of a width with " ", widths in order, and makes none of a width longer than the text (no padding)
    if arg is None:
        return toks
    widths = tuple(range(1, arg + 1)) if isinstance(arg, int) else arg
    return [" ".join(toks[i:i + w]) for w in widths for i in range(len(toks) - w + 1)]


def pad(out, depth):
    return [row + [0.0] * (depth - len(row)) for row in out]


for mode, length, max_tokens, ngram, padded in (("int", 8, None, 2, False), ("multi_hot", None, 12, (1, 3), False),
                                                ("tf_idf", None, 30, None, True), ("count", None, 60, 2, True)):
    rows = [ngrams(tokens(t), ngram) for t in corpus]
    vocab, idf = adapt(rows, "[UNK]", "", max_tokens, mode, True)
    out = encode([ngrams(tokens(t), ngram) for t in texts], vocab, "[UNK]", "", mode, idf, length)
    if padded:
        assert len(vocab) < max_tokens
        out = pad(out, max_tokens)
    cases.append({"layer": "text_vectorization", "mode": mode, "length": length or 0, "max_tokens": max_tokens or 0,
                  "ngrams": ngram if ngram is None or isinstance(ngram, int) else list(ngram),
                  "pad_to_max_tokens": padded, "adapt": corpus, "inputs": texts, "vocabulary": vocab,
                  "idf": idf if mode == "tf_idf" else None, "out": out})



def preprocess(text, standardize, split, ngram):
    # text_vectorization.py _preprocess: tf.strings.lower (ASCII letters only), the punctuation regex, then
    # tf.strings.split (ASCII whitespace, empty pieces dropped), tf.strings.unicode_split (code points) or none
    if standardize in ("lower", "lower_and_strip_punctuation"):
        text = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = re.sub(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']', "", text)
    if split == "whitespace":
        toks = [t for t in re.split(r"[ \t\n\r\f\v]+", text) if t]
    elif split == "character":
        toks = list(text)
    else:
        toks = [text]
    return ngrams(toks, ngram)


names = ["Émile", "anna", "Bob O'Neil", "ANNA", "zoë", "Bo"]
for mode, length, standardize, split, ngram in (("int", 6, "lower", "whitespace", None),
                                                ("count", None, "strip_punctuation", "whitespace", None),
                                                ("int", 10, None, "character", None),
                                                ("multi_hot", None, "lower_and_strip_punctuation", None, None),
                                                ("multi_hot", None, "lower", "character", 2)):
    source = names if split != "whitespace" else corpus
    queries = ["Anna-Bo", "émile!", "", "ZOË zoë"] if split != "whitespace" else texts
    rows = [preprocess(t, standardize, split, ngram) for t in source]
    vocab, idf = adapt(rows, "[UNK]", "", None, mode, True)
    out = encode([preprocess(t, standardize, split, ngram) for t in queries], vocab, "[UNK]", "", mode, idf, length)
    cases.append({"layer": "text_vectorization", "mode": mode, "length": length or 0, "max_tokens": 0,
                  "ngrams": ngram, "standardize": standardize, "split": split, "adapt": source, "inputs": queries,
                  "vocabulary": vocab, "idf": None, "out": out})

words = ["b", "a", "c", "a", "b", "d", "a", "[PAD]", "e", "c"]
queries = [["a", "z"], ["c", "[PAD]"], ["e", "e"]]
for mode, mask, max_tokens in (("int", None, None), ("int", "[PAD]", 4), ("one_hot", None, None),
                               ("multi_hot", None, 4), ("count", None, None), ("tf_idf", None, None)):
    rows = [[w] for w in words]
    vocab, idf = adapt(rows, "[UNK]", mask, max_tokens, mode, True)
    q = [[x[0]] for x in queries] if mode == "one_hot" else queries
    out = encode(q, vocab, "[UNK]", mask, mode, idf)
    cases.append({"layer": "string_lookup", "mode": mode, "mask": mask, "max_tokens": max_tokens or 0,
                  "adapt": words, "inputs": [x[0] for x in q] if mode == "one_hot" else queries,
                  "vocabulary": vocab, "idf": idf if mode == "tf_idf" else None, "out": out})
vocab, idf = adapt([[w] for w in words], "[UNK]", None, 10, "multi_hot", True)
cases.append({"layer": "string_lookup", "mode": "multi_hot", "mask": None, "max_tokens": 10, "pad_to_max_tokens": True,
              "adapt": words, "inputs": queries, "vocabulary": vocab, "idf": None,
              "out": pad(encode(queries, vocab, "[UNK]", None, "multi_hot", idf), 10)})

numbers = [[7, 3, 3], [5, 7, 0], [3, 9, 9], [0, 0, 12]]
queries = [[3, 4, 7], [0, 9, 9]]
for mode, mask, max_tokens in (("int", None, None), ("int", 0, 4), ("multi_hot", None, None), ("count", None, 4),
                               ("tf_idf", None, None)):
    vocab, idf = adapt(numbers, -1, mask, max_tokens, mode, False)
    out = encode(queries, vocab, -1, mask, mode, idf)
    cases.append({"layer": "integer_lookup", "mode": mode, "mask": mask, "max_tokens": max_tokens or 0,
                  "adapt": numbers, "inputs": queries, "vocabulary": [int(v) for v in vocab],
                  "idf": idf if mode == "tf_idf" else None, "out": out})


def invert(indices, vocab, oov, mask):
    # index_lookup.py with invert=True: a table from index token_start.. to the tokens, the oov token by default,
    # and index 0 the mask token when there is one
    start = 2 if mask is not None else 1   # the special tokens: [mask,] oov
    table = {start + k: t for k, t in enumerate(vocab[start:])}
    return [[mask if (mask is not None and i == 0) else table.get(i, oov) for i in row] for row in indices]


indices = [[0, 1, 2, 3], [4, -1, 99, 2]]
for mask, max_tokens in ((None, None), ("[PAD]", 4)):
    vocab, _ = adapt([[w] for w in words], "[UNK]", mask, max_tokens, "int", True)
    cases.append({"layer": "string_lookup", "mode": "int", "invert": True, "mask": mask, "max_tokens": max_tokens or 0,
                  "adapt": words, "inputs": indices, "vocabulary": vocab, "idf": None,
                  "out": invert(indices, vocab, "[UNK]", mask)})
for mask in (None, 0):
    vocab, _ = adapt(numbers, -1, mask, None, "int", False)
    cases.append({"layer": "integer_lookup", "mode": "int", "invert": True, "mask": mask, "max_tokens": 0,
                  "adapt": numbers, "inputs": indices, "vocabulary": [int(v) for v in vocab], "idf": None,
                  "out": [[int(v) for v in row] for row in invert(indices, vocab, -1, mask)]})
json.dump({"cases": cases}, sys.stdout, indent=1)
print()
