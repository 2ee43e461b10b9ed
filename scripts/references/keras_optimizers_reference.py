#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's OptimizersKerasTest: each Keras 3 optimizer (JAX backend, float32)
applies four fixed gradients to a fixed [2, 3] variable; the variable after each step is recorded.

Run with Keras 3 on JAX (e.g. ~/.cache/nabla-peers/venv, see scripts/compare-peers.sh):
  KERAS_BACKEND=jax python scripts/references/keras_optimizers_reference.py \
      > nabla-nn/src/test/resources/keras/optimizers.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

rng = np.random.default_rng(8)
init = rng.normal(size=(2, 3)).astype(np.float32)
grads = [rng.normal(scale=s, size=(2, 3)).astype(np.float32) for s in (1.0, 0.5, 2.0, 0.1)]

O = keras.optimizers
cases = [
    ("Adagrad", {"learning_rate": 0.1}, O.Adagrad(learning_rate=0.1)),
    ("Adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.5, "epsilon": 1e-5},
     O.Adagrad(learning_rate=0.05, initial_accumulator_value=0.5, epsilon=1e-5)),
    ("Adadelta", {"learning_rate": 1.0}, O.Adadelta(learning_rate=1.0)),
    ("Adadelta", {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-4}, O.Adadelta(learning_rate=0.5, rho=0.8, epsilon=1e-4)),
    ("Adamax", {"learning_rate": 0.01}, O.Adamax(learning_rate=0.01)),
    ("Adamax", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.9}, O.Adamax(learning_rate=0.02, beta_1=0.8, beta_2=0.9)),
    ("Lion", {"learning_rate": 0.001}, O.Lion(learning_rate=0.001)),
    ("Lion", {"learning_rate": 0.003, "beta_1": 0.8, "beta_2": 0.95}, O.Lion(learning_rate=0.003, beta_1=0.8, beta_2=0.95)),
    ("Nadam", {"learning_rate": 0.01}, O.Nadam(learning_rate=0.01)),
    ("Nadam", {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99}, O.Nadam(learning_rate=0.05, beta_1=0.8, beta_2=0.99)),
]
out = []
for name, config, opt in cases:
    v = keras.Variable(init.copy())
    steps = []
    for g in grads:
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), v)])
        steps.append(np.asarray(v.value).reshape(-1).tolist())
    out.append({"name": name, "config": config, "steps": steps})
print(json.dumps({"keras": keras.__version__, "init": init.reshape(-1).tolist(),
                  "grads": [g.reshape(-1).tolist() for g in grads], "cases": out}, indent=1))
