#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's AucMultiLabelKerasTest: Keras 3.15's AUC(multi_label=True) (JAX):
ROC and PR curves, probabilities and logits, with and without sample weights, over two batches (the state
accumulates): the result after each batch.

  KERAS_BACKEND=jax python scripts/references/keras_auc_multilabel_reference.py \
      > nabla-nn/src/test/resources/keras/auc_multilabel.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

rng = np.random.default_rng(46)
N, L = 7, 3


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


batches = []
for _ in range(2):
    y = (rng.uniform(size=(N, L)) > 0.5).astype(np.float32)
    logits = rng.normal(scale=2.0, size=(N, L)).astype(np.float32)
    w = rng.uniform(0.2, 2.0, N).astype(np.float32)
    batches.append({"y": y, "logits": logits, "w": w})
batches[0]["y"][:, 2] = 0.0  # a label without positives in the first batch

cases = []
for curve in ("ROC", "PR"):
    for from_logits in (False, True):
        for weighted in (False, True):
            m = keras.metrics.AUC(num_thresholds=50, curve=curve, multi_label=True, from_logits=from_logits)
            results = []
            for b in batches:
                pred = b["logits"] if from_logits else 1 / (1 + np.exp(-b["logits"]))
                m.update_state(b["y"], pred, sample_weight=b["w"] if weighted else None)
                results.append(float(m.result()))
            cases.append({"curve": curve, "from_logits": from_logits, "weighted": weighted, "results": results})
print(json.dumps({"keras": keras.__version__,
                  "batches": [{k: arr(v) for k, v in b.items()} for b in batches], "cases": cases}))
