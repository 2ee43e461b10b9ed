#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's OptimizersKerasTest: each Keras 3 optimizer (JAX backend, float32)
applies four fixed gradients to a fixed [2, 3] variable; the variable after each step is recorded (with use_ema also
the value after finalize_variable_values, as at the end of fit). Also Ftrl, weight_decay, clipvalue and the EMA.

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
    ("Ftrl", {"learning_rate": 0.1}, O.Ftrl(learning_rate=0.1)),
    ("Ftrl", {"learning_rate": 0.05, "learning_rate_power": -0.7, "initial_accumulator_value": 0.3,
              "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
              "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5},
     O.Ftrl(learning_rate=0.05, learning_rate_power=-0.7, initial_accumulator_value=0.3, l1_regularization_strength=0.01,
            l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03, beta=0.5)),
    ("Ftrl", {"learning_rate": 0.2, "l1_regularization_strength": 0.5},
     O.Ftrl(learning_rate=0.2, l1_regularization_strength=0.5)),
    # Keras 3's options of every optimizer
    ("SGD", {"learning_rate": 0.1, "weight_decay": 0.05}, O.SGD(learning_rate=0.1, weight_decay=0.05)),
    ("Adam", {"learning_rate": 0.01, "weight_decay": 0.1}, O.Adam(learning_rate=0.01, weight_decay=0.1)),
    ("Adagrad", {"learning_rate": 0.1, "weight_decay": 0.2}, O.Adagrad(learning_rate=0.1, weight_decay=0.2)),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.3}, O.SGD(learning_rate=0.1, clipvalue=0.3)),
    ("RMSprop", {"learning_rate": 0.01, "clipvalue": 0.5}, O.RMSprop(learning_rate=0.01, clipvalue=0.5)),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "use_ema": 1, "ema_momentum": 0.8},
     O.SGD(learning_rate=0.1, momentum=0.9, use_ema=True, ema_momentum=0.8)),
    ("Adam", {"learning_rate": 0.05, "use_ema": 1, "ema_momentum": 0.7, "ema_overwrite_frequency": 3},
     O.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.7, ema_overwrite_frequency=3)),
    ("Ftrl", {"learning_rate": 0.1, "weight_decay": 0.1, "use_ema": 1, "ema_momentum": 0.5},
     O.Ftrl(learning_rate=0.1, weight_decay=0.1, use_ema=True, ema_momentum=0.5)),
]
out = []
for name, config, opt in cases:
    v = keras.Variable(init.copy())
    steps = []
    for g in grads:
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), v)])
        steps.append(np.asarray(v.value).reshape(-1).tolist())
    case = {"name": name, "config": config, "steps": steps}
    if config.get("use_ema"):
        opt.finalize_variable_values([v])  # what fit does at its end: the weights take their moving averages
        case["final"] = np.asarray(v.value).reshape(-1).tolist()
    out.append(case)
print(json.dumps({"keras": keras.__version__, "init": init.reshape(-1).tolist(),
                  "grads": [g.reshape(-1).tolist() for g in grads], "cases": out}, indent=1))
