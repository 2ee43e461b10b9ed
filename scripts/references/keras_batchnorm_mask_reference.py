#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's BatchNormalizationMaskKerasTest: Keras 3.15 (JAX, float32)
BatchNormalization in training on a masked sequence, whose batch statistics count the real steps only
(batch_normalization.py _moments with a mask: sums over the real steps divided by their count + 1e-7). Models: a
float sequence through Masking, and ids through Embedding(mask_zero=True) and Dense, each into BatchNormalization
(momentum 0.9 so that the update shows) and a GRU that reads the mask. Recorded: the training-mode output, the
moving mean and variance after that call, and the gradients of sum(w * output) with respect to every weight and the
float input; then the inference-mode output after the update.

  KERAS_BACKEND=jax python scripts/references/keras_batchnorm_mask_reference.py \
      > nabla-nn/src/test/resources/keras/batchnorm_mask.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(47)
N, T, F, V, D, H = 4, 5, 3, 9, 4, 3
L = keras.layers


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


def record(name, model, x, float_input):
    tv_vars, ntv_vars = model.trainable_variables, model.non_trainable_variables
    weights = [rng.normal(scale=0.5, size=v.shape).astype(np.float32) for v in tv_vars]
    for v, w in zip(tv_vars, weights):
        v.assign(w)
    ntv = [v.value for v in ntv_vars]
    out, new_ntv = model.stateless_call([jnp.asarray(w) for w in weights], ntv, x, training=True)
    w = rng.uniform(0.5, 1.5, np.shape(out)).astype(np.float32)

    def loss(tv, xs):
        y, _ = model.stateless_call(tv, ntv, xs, training=True)
        return jnp.sum(y * w)

    if float_input:
        gw, gx = jax.grad(loss, argnums=(0, 1))([jnp.asarray(v) for v in weights], jnp.asarray(x))
    else:
        gw, gx = jax.grad(loss)([jnp.asarray(v) for v in weights], jnp.asarray(x)), None
    moving = {v.path: np.asarray(n) for v, n in zip(ntv_vars, new_ntv) if "moving" in v.path}
    for v, n in zip(ntv_vars, new_ntv):
        v.assign(n)
    inference = model(x, training=False)
    return {"name": name, "x": arr(x), "weights": [arr(v) for v in weights], "out": arr(out), "loss_weights": arr(w),
            "moving_mean": arr(next(v for k, v in moving.items() if k.endswith("moving_mean"))),
            "moving_variance": arr(next(v for k, v in moving.items() if k.endswith("moving_variance"))),
            "grad_weights": [arr(g) for g in gw], "grad_input": arr(gx) if float_input else None,
            "inference_out": arr(inference)}


cases = []
x = rng.normal(size=(N, T, F)).astype(np.float32)
x[0, 3:] = 0.0
x[2, 1] = 0.0
x[3, 4:] = 0.0
m = keras.Sequential([keras.Input((T, F)), L.Masking(), L.BatchNormalization(momentum=0.9),
                      L.GRU(H, return_sequences=True)])
cases.append(record("masking_batchnorm_gru", m, x, True))

ids = rng.integers(1, V, (N, T)).astype(np.int32)
ids[0, 2:] = 0
ids[1, 4:] = 0
ids[3, 1:] = 0
m = keras.Sequential([keras.Input((T,), dtype="int32"), L.Embedding(V, D, mask_zero=True), L.Dense(D),
                      L.BatchNormalization(momentum=0.9), L.GRU(H)])
cases.append(record("embedding_dense_batchnorm_gru", m, ids, False))
print(json.dumps({"keras": keras.__version__, "cases": cases}))
