#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MoreLayersKerasTest: Keras 3's 1-D pooling layers and
GroupNormalization (JAX backend, float32) with set weights; outputs and the gradients of sum(weights * output)
w.r.t. the input and every weight.

  KERAS_BACKEND=jax python scripts/references/keras_more_layers_reference.py \
      > nabla-nn/src/test/resources/keras/more_layers.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(61)
K = keras.layers
cases = [
    ("MaxPooling1D", {"pool": 2, "stride": 2, "padding": "valid"}, K.MaxPooling1D(2), (2, 7, 3)),
    ("MaxPooling1D", {"pool": 3, "stride": 2, "padding": "same"}, K.MaxPooling1D(3, 2, "same"), (2, 7, 3)),
    ("AveragePooling1D", {"pool": 3, "stride": 1, "padding": "valid"}, K.AveragePooling1D(3, 1), (2, 6, 2)),
    ("AveragePooling1D", {"pool": 2, "stride": 2, "padding": "same"}, K.AveragePooling1D(2, 2, "same"), (2, 7, 2)),
    ("GlobalAveragePooling1D", {}, K.GlobalAveragePooling1D(), (2, 5, 3)),
    ("GlobalMaxPooling1D", {}, K.GlobalMaxPooling1D(), (2, 5, 3)),
    ("GroupNormalization", {"groups": 2}, K.GroupNormalization(groups=2), (2, 3, 4, 6)),
    ("GroupNormalization", {"groups": 3, "epsilon": 1e-5}, K.GroupNormalization(groups=3, epsilon=1e-5), (3, 5, 6)),
    ("GroupNormalization", {"groups": 1}, K.GroupNormalization(groups=1), (2, 4, 4)),
    ("TimeDistributedDense", {"units": 4}, K.TimeDistributed(K.Dense(4, activation="tanh")), (2, 3, 5)),
    ("TimeDistributedConv2D", {"filters": 2, "size": 3}, K.TimeDistributed(K.Conv2D(2, 3)), (2, 3, 5, 5, 1)),
]
out = []
for name, config, layer, shape in cases:
    x = (rng.normal(size=shape) * 2 + 0.5).astype(np.float32)
    layer(x)
    weights = [(rng.uniform(0.5, 1.5, w.shape) if i == 0 and "Normalization" in name
                else rng.normal(scale=0.5, size=w.shape)).astype(np.float32)
               for i, w in enumerate(layer.get_weights())]
    if weights:
        layer.set_weights(weights)
    y = layer(x)
    w = rng.uniform(0.5, 1.5, y.shape).astype(np.float32)

    def loss(params, xv):
        r, _ = layer.stateless_call(params, [v.value for v in layer.non_trainable_variables], xv)
        return jnp.sum(r * w)

    gp, gx = jax.grad(loss, argnums=(0, 1))([jnp.asarray(p) for p in weights], jnp.asarray(x))
    out.append({"name": name, "config": config, "x": {"shape": list(shape), "data": x.reshape(-1).tolist()},
                "weights": [wt.reshape(-1).tolist() for wt in weights],
                "out": {"shape": list(y.shape), "data": np.asarray(y).reshape(-1).tolist()},
                "loss_weights": w.reshape(-1).tolist(), "grad_x": np.asarray(gx).reshape(-1).tolist(),
                "grad_weights": [np.asarray(g).reshape(-1).tolist() for g in gp]})
print(json.dumps({"keras": keras.__version__, "cases": out}, indent=1))
