#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's LossesKerasTest: each Keras 3 loss (JAX backend) on fixed float32
targets and predictions, its value and its gradient with respect to the predictions (jax.grad).

Run with Keras 3 on JAX (e.g. ~/.cache/nabla-peers/venv, see scripts/compare-peers.sh):
  KERAS_BACKEND=jax python scripts/references/keras_losses_reference.py \
      > nabla-nn/src/test/resources/keras/losses.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(5)
N, C = 4, 3
probs = rng.uniform(0.05, 1.0, (N, C)).astype(np.float32)
probs /= probs.sum(axis=1, keepdims=True)
one_hot = np.eye(C, dtype=np.float32)[rng.integers(0, C, N)]
binary = rng.integers(0, 2, (N, C)).astype(np.float32)
signed = (binary * 2 - 1).astype(np.float32)
real_true = rng.normal(size=(N, C)).astype(np.float32)
real_pred = (real_true + rng.normal(scale=1.5, size=(N, C))).astype(np.float32)
rates = rng.uniform(0.2, 3.0, (N, C)).astype(np.float32)
counts = rng.poisson(1.5, (N, C)).astype(np.float32)
logits = rng.normal(scale=2.0, size=(N, C)).astype(np.float32)
sigmoid = (1 / (1 + np.exp(-logits))).astype(np.float32)

L = keras.losses
cases = [
    ("huber", {}, L.Huber(), real_true, real_pred),
    ("huber", {"delta": 0.5}, L.Huber(delta=0.5), real_true, real_pred),
    ("kl_divergence", {}, L.KLDivergence(), one_hot * 0.9 + 0.1 / C, probs),
    ("hinge", {}, L.Hinge(), binary, real_pred),
    ("hinge", {"signed": True}, L.Hinge(), signed, real_pred),
    ("squared_hinge", {}, L.SquaredHinge(), binary, real_pred),
    ("cosine_similarity", {}, L.CosineSimilarity(axis=-1), real_true, real_pred),
    ("poisson", {}, L.Poisson(), counts, rates),
    ("log_cosh", {}, L.LogCosh(), real_true, real_pred),
    ("binary_focal_crossentropy", {}, L.BinaryFocalCrossentropy(gamma=2.0), binary, sigmoid),
    ("binary_focal_crossentropy", {"from_logits": True, "gamma": 1.5, "alpha": 0.3},
     L.BinaryFocalCrossentropy(gamma=1.5, alpha=0.3, apply_class_balancing=True, from_logits=True), binary, logits),
    ("categorical_crossentropy", {"label_smoothing": 0.1},
     L.CategoricalCrossentropy(label_smoothing=0.1), one_hot, probs),
    ("categorical_crossentropy", {"label_smoothing": 0.2, "from_logits": True},
     L.CategoricalCrossentropy(label_smoothing=0.2, from_logits=True), one_hot, logits),
    ("binary_crossentropy", {"label_smoothing": 0.1},
     L.BinaryCrossentropy(label_smoothing=0.1), binary, sigmoid),
    ("binary_crossentropy", {"label_smoothing": 0.2, "from_logits": True},
     L.BinaryCrossentropy(label_smoothing=0.2, from_logits=True), binary, logits),
]

out = []
for name, options, loss, y_true, y_pred in cases:
    value, grad = jax.value_and_grad(lambda p: loss(jnp.asarray(y_true), p))(jnp.asarray(y_pred))
    out.append({"name": name, "options": options, "y_true": np.asarray(y_true).reshape(-1).tolist(),
                "y_pred": np.asarray(y_pred).reshape(-1).tolist(), "shape": [N, C], "loss": float(value),
                "grad": np.asarray(grad).reshape(-1).tolist()})
print(json.dumps({"keras": keras.__version__, "cases": out}, indent=1))
