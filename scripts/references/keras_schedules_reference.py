#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's SchedulesKerasTest: Keras 3 learning-rate schedules at steps 0..59.

  KERAS_BACKEND=jax python scripts/references/keras_schedules_reference.py \
      > nabla-nn/src/test/resources/keras/schedules.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

S = keras.optimizers.schedules
cases = [
    ("polynomial", {"initial": 0.1, "decay_steps": 20, "end": 0.01, "power": 2.0, "cycle": False},
     S.PolynomialDecay(0.1, 20, 0.01, power=2.0, cycle=False)),
    ("polynomial", {"initial": 0.1, "decay_steps": 20, "end": 0.001, "power": 0.5, "cycle": True},
     S.PolynomialDecay(0.1, 20, 0.001, power=0.5, cycle=True)),
    ("inverse_time", {"initial": 0.5, "decay_steps": 10, "rate": 0.7, "staircase": False},
     S.InverseTimeDecay(0.5, 10, 0.7, staircase=False)),
    ("inverse_time", {"initial": 0.5, "decay_steps": 10, "rate": 0.7, "staircase": True},
     S.InverseTimeDecay(0.5, 10, 0.7, staircase=True)),
    ("cosine_warmup", {"initial": 0.0, "decay_steps": 30, "alpha": 0.1, "warmup_target": 0.2, "warmup_steps": 15},
     S.CosineDecay(0.0, 30, alpha=0.1, warmup_target=0.2, warmup_steps=15)),
]
out = []
for name, config, schedule in cases:
    out.append({"name": name, "config": config, "rates": [float(np.asarray(schedule(s))) for s in range(60)]})
print(json.dumps({"keras": keras.__version__, "cases": out}, indent=1))
