#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's TemporalSampleWeightKerasTest: Keras 3.15 (JAX, float32) training a
sequence model (Dense layers over [N, T, F], one prediction per step) with temporal sample weights, sample_weight of
shape [N, T] (each step's loss weighted), by SGD without shuffling, validated and evaluated with [N, T] weights:
every history value and the final weights.

  KERAS_BACKEND=jax python scripts/references/keras_temporal_weights_reference.py \
      > nabla-nn/src/test/resources/keras/temporal_weights.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

rng = np.random.default_rng(45)
N, T, F, H, K = 12, 4, 3, 5, 3


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


x = rng.normal(size=(N, T, F)).astype(np.float32)
y = rng.integers(0, K, (N, T)).astype(np.int32)
sw = rng.uniform(0.0, 2.0, (N, T)).astype(np.float32)
sw[0, 2:] = 0.0  # steps that do not count, as padding would
xv = rng.normal(size=(6, T, F)).astype(np.float32)
yv = rng.integers(0, K, (6, T)).astype(np.int32)
swv = rng.uniform(0.0, 2.0, (6, T)).astype(np.float32)
w0 = [rng.normal(scale=0.5, size=s).astype(np.float32) for s in [(F, H), (H,), (H, K), (K,)]]

m = keras.Sequential([keras.Input((T, F)), keras.layers.Dense(H, activation="tanh"), keras.layers.Dense(K)])
m.set_weights(w0)
m.compile(optimizer=keras.optimizers.SGD(0.1),
          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
          metrics=["sparse_categorical_accuracy"], weighted_metrics=["sparse_categorical_accuracy"])
h = m.fit(x, y, sample_weight=sw, batch_size=5, epochs=2, shuffle=False, verbose=0, validation_data=(xv, yv, swv))
ev = m.evaluate(xv, yv, sample_weight=swv, batch_size=4, verbose=0, return_dict=True)
print(json.dumps({"keras": keras.__version__, "x": arr(x), "y": arr(y), "sw": arr(sw), "xv": arr(xv), "yv": arr(yv),
                  "swv": arr(swv), "w0": [arr(w) for w in w0],
                  "history": {k: [float(v) for v in vs] for k, vs in h.history.items()},
                  "evaluate": {k: float(v) for k, v in ev.items()},
                  "final_weights": [arr(w) for w in m.get_weights()]}))
