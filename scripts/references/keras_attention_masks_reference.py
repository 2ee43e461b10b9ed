#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MultiHeadAttentionMasksKerasTest: Keras 3's MultiHeadAttention (JAX
backend, float32) with padding masks: token ids through Embedding(mask_zero=True) into self-attention (with and
without use_causal_mask), cross-attention between two masked sequences, and an explicit attention_mask (alone and
with the causal mask). Weights are set from a seeded generator; the output and the gradients of sum(w * output)
with respect to every weight (and the float inputs) are recorded.

  KERAS_BACKEND=jax python scripts/references/keras_attention_masks_reference.py \
      > nabla-nn/src/test/resources/keras/multi_head_attention_masks.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(43)
V, D, H, K = 9, 6, 2, 3


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


def ids(n, t):
    x = rng.integers(1, V, (n, t)).astype(np.int32)
    lengths = [t, t - 2, 1][:n]
    for i, l in enumerate(lengths):
        x[i, l:] = 0
    return x


def record(name, model, inputs, float_inputs):
    weights = [rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    out = np.asarray(model(inputs))
    w = rng.uniform(0.5, 1.5, out.shape).astype(np.float32)

    def loss(tv, *xs):
        full = list(inputs)
        for i, x in zip(float_inputs, xs):
            full[i] = x
        y, _ = model.stateless_call(tv, [], full)
        return jnp.sum(y * w)

    tv = [jnp.asarray(x) for x in weights]
    grads = jax.grad(loss, argnums=tuple(range(len(float_inputs) + 1)))(tv, *[jnp.asarray(inputs[i]) for i in float_inputs])
    return {"name": name, "inputs": [arr(x) for x in inputs], "weights": [arr(x) for x in weights], "out": arr(out),
            "loss_weights": arr(w), "grad_weights": [arr(g) for g in grads[0]],
            "grad_inputs": [arr(g) for g in grads[1:]]}


cases = []
for causal in (False, True):
    tok = keras.Input((5,), dtype="int32")
    e = keras.layers.Embedding(V, D, mask_zero=True)(tok)
    y = keras.layers.MultiHeadAttention(H, K)(e, e, use_causal_mask=causal)
    cases.append(record("self_causal" if causal else "self", keras.Model(tok, y), [ids(3, 5)], []))

qa, va = keras.Input((4,), dtype="int32"), keras.Input((6,), dtype="int32")
eq = keras.layers.Embedding(V, D, mask_zero=True)(qa)
ev = keras.layers.Embedding(V, D + 1, mask_zero=True)(va)
y = keras.layers.MultiHeadAttention(H, K)(eq, ev)
cases.append(record("cross", keras.Model([qa, va], y), [ids(3, 4), ids(3, 6)], []))

for causal in (False, True):
    q, v = keras.Input((4, D)), keras.Input((4, D + 2))
    m = keras.Input((4, 4), dtype="bool")
    y = keras.layers.MultiHeadAttention(H, K)(q, v, attention_mask=m, use_causal_mask=causal)
    mask = rng.uniform(size=(2, 4, 4)) > 0.4
    mask[1, 2, :] = False  # a query step that may attend to nothing
    cases.append(record("attention_mask_causal" if causal else "attention_mask", keras.Model([q, v, m], y),
                        [rng.normal(size=(2, 4, D)).astype(np.float32), rng.normal(size=(2, 4, D + 2)).astype(np.float32),
                         mask], [0, 1]))
print(json.dumps({"keras": keras.__version__, "cases": cases}))
