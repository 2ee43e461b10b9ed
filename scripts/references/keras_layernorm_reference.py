#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's LayerNormalizationKerasTest: Keras 3's LayerNormalization (JAX backend,
float64) with set gamma and beta, its output and the gradients of sum(weights * output) with respect to the input,
gamma and beta.

  KERAS_BACKEND=jax python scripts/references/keras_layernorm_reference.py \
      > nabla-nn/src/test/resources/keras/layer_normalization.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_ENABLE_X64", "1")   # float64 references
import jax
import jax.numpy as jnp
import keras
import numpy as np

keras.config.set_floatx("float64")
rng = np.random.default_rng(21)
cases = []
for shape, epsilon, center, scale in (((2, 3, 4), 1e-3, True, True), ((3, 5), 1e-5, False, True),
                                       ((4, 6), 1e-3, True, False)):
    x = rng.normal(size=shape) * 3 + 1
    layer = keras.layers.LayerNormalization(epsilon=epsilon, center=center, scale=scale, dtype="float64")
    layer.build(shape)
    features = shape[-1]
    gamma = rng.uniform(0.5, 1.5, features)
    beta = rng.normal(size=features)
    weights = ([gamma] if scale else []) + ([beta] if center else [])
    layer.set_weights(weights)
    w = rng.uniform(0.5, 1.5, shape)

    def loss(xv, params):
        out, _ = layer.stateless_call(params, [], xv)
        return jnp.sum(out * w), out

    params = [jnp.asarray(p) for p in weights]
    (value, out), grads = jax.value_and_grad(loss, argnums=(0, 1), has_aux=True)(jnp.asarray(x), params)
    gx, gparams = grads
    case = {"shape": list(shape), "epsilon": epsilon, "center": center, "scale": scale,
            "x": x.reshape(-1).tolist(), "weights": w.reshape(-1).tolist(), "out": np.asarray(out).reshape(-1).tolist(),
            "grad_x": np.asarray(gx).reshape(-1).tolist()}
    if scale:
        case["gamma"] = gamma.tolist()
        case["grad_gamma"] = np.asarray(gparams[0]).tolist()
    if center:
        case["beta"] = beta.tolist()
        case["grad_beta"] = np.asarray(gparams[-1]).tolist()
    cases.append(case)
print(json.dumps({"keras": keras.__version__, "cases": cases}, indent=1))
