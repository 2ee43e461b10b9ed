#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's Conv1DKerasTest: Keras 3's Conv1D (JAX backend, float32) with set
weights for several paddings, strides, dilations and groups; the output and the gradients of sum(weights * output)
w.r.t. the input, kernel and bias.

  KERAS_BACKEND=jax python scripts/references/keras_conv1d_reference.py > nabla-nn/src/test/resources/keras/conv1d.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(51)
cases = []
for filters, size, padding, strides, dilation, groups, channels, steps in (
        (4, 3, "valid", 1, 1, 1, 3, 9), (4, 3, "same", 2, 1, 1, 3, 9), (2, 2, "causal", 1, 2, 1, 3, 8),
        (6, 3, "same", 1, 1, 2, 4, 7), (3, 5, "valid", 2, 1, 1, 2, 12)):
    layer = keras.layers.Conv1D(filters, size, strides=strides, padding=padding, dilation_rate=dilation,
                                groups=groups)
    x = rng.normal(size=(2, steps, channels)).astype(np.float32)
    layer(x)
    weights = [rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    y = layer(x)
    w = rng.uniform(0.5, 1.5, y.shape).astype(np.float32)

    def loss(params, xv):
        out, _ = layer.stateless_call(params, [], xv)
        return jnp.sum(out * w)

    gp, gx = jax.grad(loss, argnums=(0, 1))([jnp.asarray(p) for p in weights], jnp.asarray(x))
    cases.append({"filters": filters, "size": size, "padding": padding, "strides": strides, "dilation": dilation,
                  "groups": groups, "x": {"shape": list(x.shape), "data": x.reshape(-1).tolist()},
                  "kernel": {"shape": list(weights[0].shape), "data": weights[0].reshape(-1).tolist()},
                  "bias": weights[1].tolist(), "out": {"shape": list(y.shape), "data": np.asarray(y).reshape(-1).tolist()},
                  "weights": w.reshape(-1).tolist(), "grad_x": np.asarray(gx).reshape(-1).tolist(),
                  "grad_kernel": np.asarray(gp[0]).reshape(-1).tolist(), "grad_bias": np.asarray(gp[1]).tolist()})
print(json.dumps({"keras": keras.__version__, "cases": cases}, indent=1))
