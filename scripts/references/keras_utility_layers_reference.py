#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's UtilityLayersKerasTest: Keras 3 merge and reshaping layers (JAX
backend, float32) on fixed inputs, their outputs and the gradients of sum(weights * output) w.r.t. every input.

  KERAS_BACKEND=jax python scripts/references/keras_utility_layers_reference.py \
      > nabla-nn/src/test/resources/keras/utility_layers.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(31)
K = keras.layers
img = (2, 4, 5, 3)
cases = [
    ("Add", {}, K.Add(), [(2, 3, 4), (2, 3, 4), (2, 3, 4)]),
    ("Multiply", {}, K.Multiply(), [(2, 3, 4), (2, 3, 4)]),
    ("Subtract", {}, K.Subtract(), [(2, 5), (2, 5)]),
    ("Average", {}, K.Average(), [(2, 5), (2, 5), (2, 5)]),
    ("Maximum", {}, K.Maximum(), [(2, 5), (2, 5)]),
    ("Minimum", {}, K.Minimum(), [(2, 5), (2, 5)]),
    ("RepeatVector", {"n": 3}, K.RepeatVector(3), [(2, 4)]),
    ("Permute", {"dims": [2, 1]}, K.Permute((2, 1)), [(2, 3, 4)]),
    ("Permute", {"dims": [3, 1, 2]}, K.Permute((3, 1, 2)), [img]),
    ("Rescaling", {"scale": 0.5, "offset": -1.0}, K.Rescaling(0.5, -1.0), [(2, 3)]),
    ("GlobalMaxPooling2D", {}, K.GlobalMaxPooling2D(), [img]),
    ("ZeroPadding2D", {"pad": [1, 2, 0, 3]}, K.ZeroPadding2D(((1, 2), (0, 3))), [img]),
    ("Cropping2D", {"crop": [1, 0, 2, 1]}, K.Cropping2D(((1, 0), (2, 1))), [img]),
    ("UpSampling2D", {"size": [2, 3]}, K.UpSampling2D((2, 3)), [img]),
]
out = []
for name, config, layer, shapes in cases:
    xs = [rng.normal(size=s).astype(np.float32) for s in shapes]
    y = layer(xs if len(xs) > 1 else xs[0])
    w = (rng.uniform(0.5, 1.5, np.shape(y))).astype(np.float32)

    def loss(*inputs):
        r = layer(list(inputs) if len(inputs) > 1 else inputs[0])
        return jnp.sum(r * w)

    grads = jax.grad(loss, argnums=tuple(range(len(xs))))(*[jnp.asarray(x) for x in xs])
    out.append({"name": name, "config": config, "inputs": [{"shape": list(x.shape), "data": x.reshape(-1).tolist()}
                                                           for x in xs],
                "out": {"shape": list(np.shape(y)), "data": np.asarray(y).reshape(-1).tolist()},
                "weights": w.reshape(-1).tolist(), "grads": [np.asarray(g).reshape(-1).tolist() for g in grads]})
print(json.dumps({"keras": keras.__version__, "cases": out}, indent=1))
