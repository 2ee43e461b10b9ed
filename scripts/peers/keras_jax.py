"""Keras 3 on JAX peer of scripts/compare-peers.sh: the reference models of docs/nn.md (NHWC), Adam(1e-3, eps 1e-7),
sparse cross-entropy from logits, compiled with jit_compile=True (XLA). Training times steady train_on_batch
steps (one jitted step each; with --fit, one model.fit epoch over as many batches as the warm-up rate fills
--seconds with, after a warm-up fit), inference predict_on_batch. JAX uses all cores (XLA's CPU thread pool); --threads
is not applied. Output: see common.py."""
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import time  # noqa: E402

import common  # noqa: E402
import keras  # noqa: E402
import jax  # noqa: E402
import numpy as np  # noqa: E402


def make(name, metrics=()):
    """A reference model (mlp or cnn), compiled for XLA; metrics are added to the loss (e.g. ["accuracy"])."""
    layers = keras.layers
    if name == "mlp":
        body = [layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.2), layers.Dense(10)]
    else:
        body = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
                layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(),
                layers.Dropout(0.5), layers.Dense(10)]
    model = keras.Sequential([keras.Input((28, 28, 1))] + body)
    model.compile(optimizer=keras.optimizers.Adam(1e-3, epsilon=1e-7),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=list(metrics),
                  jit_compile=True)
    return model


def time_fit(model, xs, ys, batch, a):
    """(batches, seconds) of one model.fit epoch, sized by the warm-up's step rate."""
    n, secs = common.time_calls(lambda i: model.train_on_batch(xs[i % 4], ys[i % 4]), a)
    steps = max(a.steps, int(n / secs * a.seconds))
    reps = -(-steps // 4)
    x, y = np.concatenate(xs * reps)[:steps * batch], np.concatenate(ys * reps)[:steps * batch]
    model.fit(x[:4 * batch], y[:4 * batch], batch_size=batch, epochs=1, verbose=0, shuffle=False)  # fit's warm-up
    t0 = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    return steps, time.perf_counter() - t0


def main():
    p = common.options(__doc__)
    p.add_argument("--fit", action="store_true", help="time training through model.fit instead of train_on_batch")
    a = p.parse_args()
    if keras.backend.backend() != "jax":
        raise SystemExit("keras_jax.py: KERAS_BACKEND is %s, not jax" % keras.backend.backend())
    peer = "Keras %s on JAX %s%s" % (keras.__version__, jax.__version__, " fit" if a.fit else "")
    keras.utils.set_random_seed(42)
    for name, phase, batch in common.workloads(a):
        model = make(name)
        xs, ys = common.data(batch)
        xs = [x.reshape(batch, 28, 28, 1) for x in xs]
        if phase == "train" and a.fit:
            calls, secs = time_fit(model, xs, ys, batch, a)
        elif phase == "train":
            # train_on_batch returns the loss as a host float, so every step is complete when it returns.
            calls, secs = common.time_calls(lambda i: model.train_on_batch(xs[i % 4], ys[i % 4]), a)
        else:
            calls, secs = common.time_calls(lambda i: model.predict_on_batch(xs[i % 4]), a)
        common.emit(peer, name, phase, batch, calls, secs, model.count_params())


if __name__ == "__main__":
    main()
