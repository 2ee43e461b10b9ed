#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MaskFlowKerasTest: how Keras 3 (JAX backend, float32) carries a padding
mask from Embedding(mask_zero=True) through the layers of a functional model: passed on by Dense,
LayerNormalization, Activation and MultiHeadAttention (the query's), combined by the merge layers (OR when every
input has a mask, else none; Maximum, Minimum and Multiply also keep masked steps out), consumed by
GlobalAveragePooling1D (the mean over unmasked steps) and GRU, and dropped by Conv1D and GlobalMaxPooling1D. Each
model ends in a layer that reads the mask, so its output shows what reached it. Weights come from a seeded
generator; the output and the gradients of sum(w * output) with respect to every weight (and the float inputs) are
recorded.

  KERAS_BACKEND=jax python scripts/references/keras_mask_flow_reference.py \
      > nabla-nn/src/test/resources/keras/mask_flow.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(44)
V, D, T = 9, 4, 5
L = keras.layers


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


def ids(lengths):
    x = rng.integers(1, V, (len(lengths), T)).astype(np.int32)
    for i, n in enumerate(lengths):
        x[i, n:] = 0
    return x


def record(name, model, inputs, float_inputs):
    # trainable weights only: a GRU's seed state is a non-trainable variable that Nabla does not have
    weights = [rng.normal(scale=0.5, size=v.shape).astype(np.float32) for v in model.trainable_variables]
    for v, x in zip(model.trainable_variables, weights):
        v.assign(x)
    ntv = [v.value for v in model.non_trainable_variables]
    out = np.asarray(model(inputs))
    w = rng.uniform(0.5, 1.5, out.shape).astype(np.float32)

    def loss(tv, *xs):
        full = list(inputs)
        for i, x in zip(float_inputs, xs):
            full[i] = x
        y, _ = model.stateless_call(tv, ntv, full)
        return jnp.sum(y * w)

    tv = [jnp.asarray(x) for x in weights]
    grads = jax.grad(loss, argnums=tuple(range(len(float_inputs) + 1)))(tv, *[jnp.asarray(inputs[i]) for i in float_inputs])
    return {"name": name, "inputs": [arr(x) for x in inputs], "weights": [arr(x) for x in weights], "out": arr(out),
            "loss_weights": arr(w), "grad_weights": [arr(g) for g in grads[0]],
            "grad_inputs": [arr(g) for g in grads[1:]]}


cases = []
tok = keras.Input((T,), dtype="int32")
e = L.Embedding(V, D, mask_zero=True)(tok)
y = L.Dense(6, activation="relu")(e)
y = L.LayerNormalization()(y)
y = L.Activation("tanh")(y)
y = L.GlobalAveragePooling1D()(y)
cases.append(record("pass_through", keras.Model(tok, L.Dense(2)(y)), [ids([5, 3, 1])], []))

tok = keras.Input((T,), dtype="int32")
e = L.Embedding(V, D, mask_zero=True)(tok)
cases.append(record("dense_gru", keras.Model(tok, L.GRU(3)(L.Dense(D)(e))), [ids([5, 2, 4])], []))

tok = keras.Input((T,), dtype="int32")
e = L.Embedding(V, D, mask_zero=True)(tok)
a = L.MultiHeadAttention(2, 3)(e, e)
y = L.LayerNormalization()(L.Add()([e, a]))
y = L.Add()([y, L.Dense(D)(L.Dense(8, activation="relu")(y))])
cases.append(record("encoder_block", keras.Model(tok, L.GlobalAveragePooling1D()(y)), [ids([5, 3, 1])], []))

for merge in ("add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate"):
    t1, t2 = keras.Input((T,), dtype="int32"), keras.Input((T,), dtype="int32")
    e1 = L.Embedding(V, D, mask_zero=True)(t1)
    e2 = L.Embedding(V, D, mask_zero=True)(t2)
    layer = {"add": L.Add, "subtract": L.Subtract, "multiply": L.Multiply, "average": L.Average,
             "maximum": L.Maximum, "minimum": L.Minimum, "concatenate": L.Concatenate}[merge]()
    y = L.GlobalAveragePooling1D()(layer([e1, e2]))
    cases.append(record(merge, keras.Model([t1, t2], y), [ids([5, 2, 3]), ids([3, 4, 1])], []))

for merge in ("add", "multiply", "maximum", "concatenate"):
    t1, x2 = keras.Input((T,), dtype="int32"), keras.Input((T, D))
    e1 = L.Embedding(V, D, mask_zero=True)(t1)
    layer = {"add": L.Add, "multiply": L.Multiply, "maximum": L.Maximum, "concatenate": L.Concatenate}[merge]()
    y = L.GlobalAveragePooling1D()(layer([e1, x2]))
    cases.append(record(merge + "_one_mask", keras.Model([t1, x2], y),
                        [ids([5, 2, 3]), rng.normal(size=(3, T, D)).astype(np.float32)], [1]))

tok = keras.Input((T,), dtype="int32")
e = L.Embedding(V, D, mask_zero=True)(tok)
y = L.GlobalAveragePooling1D()(L.Conv1D(3, 2, padding="same")(e))
cases.append(record("conv1d_drops", keras.Model(tok, y), [ids([5, 3, 1])], []))

tok = keras.Input((T,), dtype="int32")
e = L.Embedding(V, D, mask_zero=True)(tok)
cases.append(record("max_pooling_ignores", keras.Model(tok, L.GlobalMaxPooling1D()(e)), [ids([5, 3, 1])], []))
print(json.dumps({"keras": keras.__version__, "cases": cases}))
