"""Keras reference for `nabla train --dataset fashion-mnist --model mlp|cnn`: the same data, model and training.

Data: Fashion-MNIST's IDX files (Debian's dataset-fashion-mnist in /usr/share/datasets/fashion-mnist, or the folder
in $NABLA_FASHION_DIR), pixels / 255, NHWC. Models: the reference models of docs/nn.md (mlp: Flatten -> Dense(128,
relu) -> Dropout(0.2) -> Dense(10); cnn: Conv2D(32, 3, relu) -> MaxPool(2) -> Conv2D(64, 3, relu) -> MaxPool(2) ->
Flatten -> Dropout(0.5) -> Dense(10)), Adam(1e-3, eps 1e-7), sparse cross-entropy from logits, jit_compile=True
(XLA), batch 32 (mlp) or 128 (cnn), shuffled, validation on the test split after every epoch as `nabla train` does.
An epoch's time runs from its start to its last training batch (validation excluded, as nabla train counts it).
Prints each epoch's time and throughput and, last, a JSON line with the test accuracy (scripts/compare-fit.sh reads
them; scripts/references/torch_fashion.py is the PyTorch twin).
Run: KERAS_BACKEND=jax ~/.cache/nabla-peers/venv/bin/python scripts/references/keras_fashion.py mlp|cnn [epochs]
"""
import gzip
import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras_jax import make  # noqa: E402  (the reference models of compare-peers.sh)

BATCH = {"mlp": 32, "cnn": 128}
EPOCHS = {"mlp": 5, "cnn": 3}   # nabla train's defaults for fashion-mnist


def idx(name):
    """One IDX file of the dataset folder as a uint8 array (gzip-compressed or not)."""
    folder = os.environ.get("NABLA_FASHION_DIR", "/usr/share/datasets/fashion-mnist")
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        path += ".gz"
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        b = f.read()
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(b[3])]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * b[3]).reshape(dims)


def data():
    """((train images, labels), (test images, labels)): float32 images in [0, 1] of shape (n, 28, 28, 1)."""
    def images(name):
        return (idx(name).astype(np.float32) / 255.0)[..., None]
    return ((images("train-images-idx3-ubyte"), idx("train-labels-idx1-ubyte").astype(np.int64)),
            (images("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte").astype(np.int64)))


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    if name not in BATCH:
        sys.exit(f"keras_fashion.py: model must be mlp or cnn, got '{name}'")
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else EPOCHS[name]
    (x, y), (xt, yt) = data()
    keras.utils.set_random_seed(42)
    model = make(name, metrics=["accuracy"])

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = self.last = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.last = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            secs = self.last - self.t
            print(f"epoch {epoch + 1}: {secs:.2f} s, {len(x) / secs:.0f} train samples/s, loss {logs['loss']:.4f}, "
                  f"val_accuracy {logs['val_accuracy']:.4f}", flush=True)

    t0 = time.time()
    model.fit(x, y, batch_size=BATCH[name], epochs=epochs, shuffle=True, verbose=0, validation_data=(xt, yt),
              callbacks=[Timer()])
    secs = time.time() - t0
    loss, acc = model.evaluate(xt, yt, batch_size=1000, verbose=0)
    print(f"test accuracy {acc:.4f} (loss {loss:.4f}); fit {secs:.1f} s")
    print(json.dumps({"model": name, "epochs": epochs, "test_accuracy": acc, "test_loss": loss, "train": len(x),
                      "test": len(xt), "keras": keras.__version__}))


if __name__ == "__main__":
    main()
