#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MetricsKerasTest and WeightedFitKerasTest (Keras 3 on JAX, float32):

- "metrics": stateful metrics (Precision, Recall, AUC, F1Score/FBetaScore, MeanIoU in float32 (its default integer
  dtype truncates float weights), accuracies) updated with two
  batches, with and without sample weights; the result after each batch.
- "losses": losses with sample weights under each reduction.
- "fits": a small Dense model with fixed weights trained by SGD with class_weight or sample_weight (no shuffling),
  its history (loss, metrics, weighted metrics) and final weights, then evaluate with sample weights.

Run with Keras 3 on JAX (e.g. ~/.cache/nabla-peers/venv):
  KERAS_BACKEND=jax python scripts/references/keras_metrics_reference.py \
      > nabla-nn/src/test/resources/keras/metrics.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

M = keras.metrics
rng = np.random.default_rng(15)


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


N, C = 6, 3
probs = rng.uniform(0.0, 1.0, (2, N, C)).astype(np.float32)
probs[0, 0, 1] = 0.5  # exactly at the default threshold
soft = probs / probs.sum(-1, keepdims=True)
multi_hot = rng.integers(0, 2, (2, N, C)).astype(np.float32)
one_hot = np.eye(C, dtype=np.float32)[rng.integers(0, C, (2, N))]
binary_true = rng.integers(0, 2, (2, N, 1)).astype(np.float32)
binary_pred = rng.uniform(0, 1, (2, N, 1)).astype(np.float32)
logits = rng.normal(scale=2.0, size=(2, N, 1)).astype(np.float32)
labels = rng.integers(0, C, (2, N)).astype(np.float32)
pred_labels = rng.integers(0, C, (2, N)).astype(np.float32)
weights = rng.uniform(0.0, 2.0, (2, N)).astype(np.float32)
weights[0, 2] = 0.0

metric_cases = [
    ("precision", {}, lambda: M.Precision(), multi_hot, probs),
    ("precision", {"thresholds": [0.3, 0.5, 0.7]}, lambda: M.Precision(thresholds=[0.3, 0.5, 0.7]), multi_hot, probs),
    ("precision", {"top_k": 2}, lambda: M.Precision(top_k=2), multi_hot, probs),
    ("precision", {"class_id": 1}, lambda: M.Precision(class_id=1), multi_hot, probs),
    ("precision", {"top_k": 1, "class_id": 2}, lambda: M.Precision(top_k=1, class_id=2), multi_hot, probs),
    ("recall", {}, lambda: M.Recall(), multi_hot, probs),
    ("recall", {"thresholds": [0.2, 0.6]}, lambda: M.Recall(thresholds=[0.2, 0.6]), multi_hot, probs),
    ("recall", {"top_k": 2}, lambda: M.Recall(top_k=2), multi_hot, probs),
    ("recall", {"class_id": 0}, lambda: M.Recall(class_id=0), multi_hot, probs),
    ("auc", {}, lambda: M.AUC(), binary_true, binary_pred),
    ("auc", {"multi": True}, lambda: M.AUC(), multi_hot, probs),
    ("auc", {"curve": "PR"}, lambda: M.AUC(curve="PR"), multi_hot, probs),
    ("auc", {"num_thresholds": 7}, lambda: M.AUC(num_thresholds=7), binary_true, binary_pred),
    ("auc", {"from_logits": True}, lambda: M.AUC(from_logits=True), binary_true, logits),
    ("f1_score", {}, lambda: M.F1Score(), one_hot, soft),
    ("f1_score", {"average": "micro", "threshold": 0.5}, lambda: M.F1Score(average="micro", threshold=0.5), multi_hot, probs),
    ("f1_score", {"average": "macro", "threshold": 0.4}, lambda: M.F1Score(average="macro", threshold=0.4), multi_hot, probs),
    ("f1_score", {"average": "weighted"}, lambda: M.F1Score(average="weighted"), one_hot, soft),
    ("fbeta_score", {"average": "macro", "beta": 2.0, "threshold": 0.5},
     lambda: M.FBetaScore(average="macro", beta=2.0, threshold=0.5), multi_hot, probs),
    ("mean_iou", {"num_classes": 3}, lambda: M.MeanIoU(num_classes=3, dtype="float32"), labels, pred_labels),
    ("mean_iou", {"num_classes": 3, "sparse_y_pred": False}, lambda: M.MeanIoU(num_classes=3, sparse_y_pred=False, dtype="float32"),
     labels, soft),
    ("mean_iou", {"num_classes": 4, "ignore_class": 1}, lambda: M.MeanIoU(num_classes=4, ignore_class=1, dtype="float32"), labels,
     pred_labels),
    ("binary_accuracy", {}, lambda: M.BinaryAccuracy(), multi_hot, probs),
    ("sparse_categorical_accuracy", {}, lambda: M.SparseCategoricalAccuracy(), labels, soft),
    ("categorical_accuracy", {}, lambda: M.CategoricalAccuracy(), one_hot, soft),
    ("mean_squared_error", {}, lambda: M.MeanSquaredError(), multi_hot, probs),
]

metrics_out = []
for name, options, make, y_true, y_pred in metric_cases:
    for weighted in (False, True):
        m = make()
        results = []
        for b in range(2):
            m.update_state(y_true[b], y_pred[b], sample_weight=weights[b] if weighted else None)
            results.append(np.asarray(m.result(), dtype=np.float64).reshape(-1).tolist())
        metrics_out.append({"name": name, "options": options, "weighted": weighted,
                            "y_true": [arr(y_true[0]), arr(y_true[1])], "y_pred": [arr(y_pred[0]), arr(y_pred[1])],
                            "weights": [arr(weights[0]), arr(weights[1])], "results": results})

L = keras.losses
reg_true = rng.normal(size=(N, C)).astype(np.float32)
reg_pred = rng.normal(size=(N, C)).astype(np.float32)
loss_cases = [
    ("mean_squared_error", L.MeanSquaredError, reg_true, reg_pred),
    ("huber", L.Huber, reg_true, reg_pred),
    ("categorical_crossentropy", L.CategoricalCrossentropy, one_hot[0], soft[0]),
    ("sparse_categorical_crossentropy", L.SparseCategoricalCrossentropy, labels[0], soft[0]),
    ("binary_crossentropy", L.BinaryCrossentropy, multi_hot[0], probs[0]),
    ("kl_divergence", L.KLDivergence, one_hot[0] * 0.9 + 0.1 / C, soft[0]),
    ("cosine_similarity", L.CosineSimilarity, reg_true, reg_pred),
]
losses_out = []
for name, cls, y_true, y_pred in loss_cases:
    for reduction in ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight"):
        loss = cls(reduction=reduction)
        value = np.asarray(loss(y_true, y_pred, sample_weight=weights[0]))
        losses_out.append({"name": name, "reduction": reduction, "y_true": arr(y_true), "y_pred": arr(y_pred),
                           "weights": arr(weights[0]), "value": arr(value)})

# ----------------------------------------------------------------------------- weighted fits
F, H, K = 4, 5, 3
x = rng.normal(size=(24, F)).astype(np.float32)
y = rng.integers(0, K, 24).astype(np.int32)
sw = rng.uniform(0.2, 2.0, 24).astype(np.float32)
xv = rng.normal(size=(10, F)).astype(np.float32)
yv = rng.integers(0, K, 10).astype(np.int32)
swv = rng.uniform(0.2, 2.0, 10).astype(np.float32)
w0 = [rng.normal(scale=0.5, size=s).astype(np.float32) for s in [(F, H), (H,), (H, K), (K,)]]
yb = (rng.uniform(size=24) > 0.6).astype(np.float32)
wb = [rng.normal(scale=0.5, size=s).astype(np.float32) for s in [(F, H), (H,), (H, 1), (1,)]]


def model(units, activation):
    m = keras.Sequential([keras.Input((F,)), keras.layers.Dense(H, activation="tanh"),
                          keras.layers.Dense(units, activation=activation)])
    return m


fits = []
for label, kind, fit_kw in [
    ("class_weight", "sparse", {"class_weight": {0: 0.5, 1: 2.0, 2: 1.0}}),
    ("sample_weight", "sparse", {"sample_weight": sw}),
    ("binary_class_weight", "binary", {"class_weight": {0: 1.0, 1: 3.0}}),
]:
    if kind == "sparse":
        m = model(K, "softmax")
        m.set_weights(w0)
        m.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"], weighted_metrics=["sparse_categorical_accuracy"])
        yt, ytv = y, yv
    else:
        m = model(1, "sigmoid")
        m.set_weights(wb)
        m.compile(optimizer=keras.optimizers.SGD(0.2), loss="binary_crossentropy",
                  metrics=[M.AUC(name="auc"), M.Precision(name="precision"), M.Recall(name="recall")],
                  weighted_metrics=["binary_accuracy"])
        yt, ytv = yb, (yv > 0).astype(np.float32)
    h = m.fit(x, yt, batch_size=5, epochs=2, shuffle=False, verbose=0, validation_data=(xv, ytv, swv), **fit_kw)
    ev = m.evaluate(xv, ytv, sample_weight=swv, batch_size=4, verbose=0, return_dict=True)
    fits.append({"label": label, "kind": kind, "history": {k: [float(v) for v in vs] for k, vs in h.history.items()},
                 "evaluate": {k: float(v) for k, v in ev.items()},
                 "final_weights": [arr(w) for w in m.get_weights()]})

print(json.dumps({"keras": keras.__version__, "metrics": metrics_out, "losses": losses_out,
                  "fit_data": {"x": arr(x), "y": arr(y), "sw": arr(sw), "xv": arr(xv), "yv": arr(yv),
                               "swv": arr(swv), "yb": arr(yb), "w0": [arr(w) for w in w0],
                               "wb": [arr(w) for w in wb]},
                  "fits": fits}, indent=None))
