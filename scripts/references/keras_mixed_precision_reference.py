#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MixedPrecisionKerasTest, from Keras 3 on JAX:

- a Dense layer (relu and linear) under the mixed_float16 and mixed_bfloat16 policies: its 16-bit output, and the
  float32 gradients of sum(output * w) with respect to the float32 kernel and bias and the input;
- a LossScaleOptimizer around SGD (dynamic_growth_steps=3) fed a fixed sequence of finite and non-finite gradients:
  after each step the loss scale, the step counter, the inner optimizer's iterations and the variable.

Run with the peers' venv:
  KERAS_BACKEND=jax ~/.cache/nabla-peers/venv/bin/python scripts/references/keras_mixed_precision_reference.py \
      > nabla-nn/src/test/resources/keras/mixed_precision.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(14)
x = rng.normal(size=(3, 5)).astype(np.float32)
kernel = rng.normal(scale=0.5, size=(5, 4)).astype(np.float32)
bias = rng.normal(scale=0.1, size=(4,)).astype(np.float32)
weights = rng.normal(size=(3, 4)).astype(np.float32)

dense = []
for policy in ("mixed_float16", "mixed_bfloat16"):
    for activation in ("linear", "relu"):
        layer = keras.layers.Dense(4, activation=activation, dtype=policy)
        layer.build((None, 5))
        layer.set_weights([kernel, bias])
        out = layer(x)  # Keras' own forward: inputs and weights autocast to the compute dtype
        c = layer.compute_dtype
        act = jax.nn.relu if activation == "relu" else (lambda t: t)

        # the same computation written out for JAX's autodiff (the float32 weights read through a cast, as
        # Keras' autocast does), checked against Keras' forward below
        def loss(k, b, xin):
            y = act(xin.astype(c) @ k.astype(c) + b.astype(c))
            return jnp.sum(y.astype(jnp.float32) * weights), y

        (_, mine), g = jax.value_and_grad(loss, argnums=(0, 1, 2), has_aux=True)(kernel, bias, x)
        assert str(out.dtype) == c and np.array_equal(np.asarray(mine), np.asarray(out)), "forward differs"
        grads = ((g[0], g[1]), g[2])
        dense.append({
            "policy": policy, "activation": activation,
            "out_dtype": str(out.dtype),
            "out": np.asarray(out, dtype=np.float32).reshape(-1).tolist(),
            "grad_kernel": np.asarray(grads[0][0]).reshape(-1).tolist(),
            "grad_bias": np.asarray(grads[0][1]).reshape(-1).tolist(),
            "grad_kernel_dtype": str(grads[0][0].dtype),
            "grad_x": np.asarray(grads[1]).reshape(-1).tolist(),
        })

# LossScaleOptimizer: which steps get non-finite gradients (inf or nan) and which finite ones
pattern = ["finite", "finite", "finite", "finite", "inf", "finite", "nan", "finite", "finite", "finite", "finite",
           "finite", "finite", "inf", "inf", "finite"]
var = keras.Variable(np.array([1.0, -2.0], dtype=np.float32))
opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(learning_rate=0.5), initial_scale=2.0 ** 15,
                                          dynamic_growth_steps=3)
opt.build([var])
# JAX runs the optimizer statelessly (its stateful apply needs a traced cond): carry the values by hand
opt_values = [v.value for v in opt.variables]
var_values = [var.value]
names = [v.path for v in opt.variables]


def value_of(suffix):
    return next(val for n, val in zip(names, opt_values) if n.endswith(suffix))


steps = []
for i, kind in enumerate(pattern):
    # a scaled gradient, as the loss was scaled by the current scale
    g = np.array([0.25 * (i + 1), -0.5], dtype=np.float32) * float(value_of("dynamic_scale"))
    if kind == "inf":
        g[0] = np.inf
    elif kind == "nan":
        g[1] = np.nan
    var_values, opt_values = opt.stateless_apply(opt_values, [jnp.asarray(g)], var_values)
    steps.append({"kind": kind, "unscaled": [0.25 * (i + 1), -0.5],
                  "scale": float(value_of("dynamic_scale")), "counter": int(value_of("step_counter")),
                  "iterations": int(value_of("sgd/iteration")), "var": np.asarray(var_values[0]).tolist()})

print(json.dumps({"keras": keras.__version__, "jax": jax.__version__,
                  "dense": {"x": x.reshape(-1).tolist(), "kernel": kernel.reshape(-1).tolist(),
                            "bias": bias.tolist(), "weights": weights.reshape(-1).tolist(), "cases": dense},
                  "loss_scale": {"initial_scale": 2.0 ** 15, "growth_steps": 3, "learning_rate": 0.5,
                                 "initial": [1.0, -2.0], "steps": steps}}, indent=1))
