#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MultiHeadAttentionKerasTest: Keras 3's MultiHeadAttention (JAX backend,
float32) with set weights, its output and the gradients of sum(weights * output) w.r.t. the inputs and every weight.

  KERAS_BACKEND=jax python scripts/references/keras_attention_reference.py \
      > nabla-nn/src/test/resources/keras/multi_head_attention.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(41)
cases = []
for heads, key_dim, value_dim, tq, tv, dq, dv, dk, causal in (
        (2, 3, 3, 4, 5, 6, 4, None, False),   # cross-attention, key = value
        (3, 2, 2, 5, 5, 6, 6, 5, False),      # separate key input (Keras on JAX needs value_dim = key_dim)
        (2, 4, 4, 5, 5, 6, 6, None, True)):   # causal self-attention
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim, value_dim=value_dim)
    q = rng.normal(size=(2, tq, dq)).astype(np.float32)
    v = q if causal else rng.normal(size=(2, tv, dv)).astype(np.float32)
    k = rng.normal(size=(2, tv, dk)).astype(np.float32) if dk else None
    layer(q, v, key=k, use_causal_mask=causal)
    weights = [rng.normal(scale=0.4, size=w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    inputs = [q, v] + ([k] if dk is not None else [])
    out = layer(q, v, key=k, use_causal_mask=causal)
    w = rng.uniform(0.5, 1.5, out.shape).astype(np.float32)

    def loss(train_vars, *xs):
        y, _ = layer.stateless_call(train_vars, [], xs[0], xs[1], key=xs[2] if len(xs) == 3 else None,
                                    use_causal_mask=causal)
        return jnp.sum(y * w)

    tv_vals = [jnp.asarray(x) for x in weights]
    xs = [jnp.asarray(x) for x in inputs]
    if causal:
        xs = xs[:1]   # self-attention: the query is the value too

        def loss_self(train_vars, x):
            y, _ = layer.stateless_call(train_vars, [], x, x, use_causal_mask=True)
            return jnp.sum(y * w)

        gw, gx = jax.grad(loss_self, argnums=(0, 1))(tv_vals, xs[0])
        gxs = [gx]
    else:
        grads = jax.grad(loss, argnums=tuple(range(len(xs) + 1)))(tv_vals, *xs)
        gw, gxs = grads[0], list(grads[1:])
    cases.append({"heads": heads, "key_dim": key_dim, "value_dim": value_dim, "causal": causal,
                  "self_attention": causal,
                  "inputs": [{"shape": list(x.shape), "data": np.asarray(x).reshape(-1).tolist()} for x in xs],
                  "weights": [{"shape": list(x.shape), "data": x.reshape(-1).tolist()} for x in weights],
                  "out": {"shape": list(out.shape), "data": np.asarray(out).reshape(-1).tolist()},
                  "loss_weights": w.reshape(-1).tolist(),
                  "grad_inputs": [np.asarray(g).reshape(-1).tolist() for g in gxs],
                  "grad_weights": [np.asarray(g).reshape(-1).tolist() for g in gw]})
print(json.dumps({"keras": keras.__version__, "cases": cases}, indent=1))
