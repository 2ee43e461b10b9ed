#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's MaskedLossKerasTest: Keras 3.15 (PyTorch backend, float32) applying a sequence
output's padding mask (its _keras_mask, from Embedding(mask_zero=True) through a recurrent layer returning sequences
and a Dense or TimeDistributed head) to the loss and the mean metrics of fit and evaluate. Keras' rule
(losses/loss.py apply_mask and reduce_values): with the default reduction each real step weighs its sample weight
times count(mask) / count(real steps), masked steps 0, and the weighted sum is divided by the number of values, so the
loss is sum(loss * w * mask) / count(real steps); mean metrics (MeanMetricWrapper) weigh real steps by their sample
weight (1 for unweighted metrics) and masked ones 0. For each case: the compiled loss and its gradients with respect to
every weight on the whole set at the initial weights, then fit by SGD without shuffling (history, validation) and
evaluate, and the final weights.

The PyTorch backend, not JAX: Keras' JAX train_step takes y_pred out of jax.value_and_grad as an auxiliary value,
which drops its _keras_mask, so on JAX the training metrics (not the loss) count masked steps while evaluate's do
not; on PyTorch (and TensorFlow) both leave them out, which is what the masking code means and what Nabla does.
On PyTorch, Keras 3.15's apply_mask multiplies the sample weights in place (`sample_weight *= float_mask`), so the
loss's rescaled mask also lands in the weights the weighted metrics then read (and [N, 1] weights fail to broadcast);
the script patches apply_mask to work on a copy, which is the function as written for the other backends.

  python scripts/references/keras_masked_loss_reference.py \
      > nabla-nn/src/test/resources/keras/masked_loss.json
"""
import json
import os

os.environ["KERAS_BACKEND"] = "torch"
import keras
import numpy as np
import torch
from keras.src import backend
from keras.src.losses import loss as loss_module

_apply_mask = loss_module.apply_mask


def apply_mask_on_a_copy(sample_weight, mask, dtype, reduction):
    if sample_weight is not None:
        sample_weight = keras.ops.convert_to_tensor(sample_weight, dtype=dtype) + 0   # a new tensor
        if mask is not None and len(sample_weight.shape) == len(mask.shape):          # [N, 1] against [N, T]
            sample_weight = sample_weight * keras.ops.ones_like(keras.ops.convert_to_tensor(mask, dtype=dtype))
    return _apply_mask(sample_weight, mask, dtype, reduction)


loss_module.apply_mask = apply_mask_on_a_copy

rng = np.random.default_rng(46)
N, NV, T, V, D, H, K = 10, 6, 6, 9, 4, 5, 3
L = keras.layers


def arr(a):
    a = keras.ops.convert_to_numpy(a).astype(np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


def ids(n):
    x = rng.integers(1, V, (n, T)).astype(np.int32)
    for i in range(n):
        x[i, rng.integers(1, T + 1):] = 0   # trailing padding; at least one real step
    x[n - 1, 2] = 0                         # and a hole inside one sequence
    return x


def case(name, layers, loss, targets, sample_weight):
    x, xv = ids(N), ids(NV)
    y, yv = targets(N), targets(NV)
    m = keras.Sequential([keras.Input((T,), dtype="int32")] + layers)
    w0 = [rng.normal(scale=0.5, size=v.shape).astype(np.float32) for v in m.trainable_variables]
    for v, w in zip(m.trainable_variables, w0):
        v.assign(w)
    m.compile(optimizer=keras.optimizers.SGD(0.2), loss=loss,
              metrics=["mean_absolute_error" if name == "simple_rnn_mse" else "sparse_categorical_accuracy"],
              weighted_metrics=["mean_absolute_error" if name == "simple_rnn_mse" else "sparse_categorical_accuracy"])
    sw = None if sample_weight is None else sample_weight(N)

    pred = m(x)
    assert backend.get_keras_mask(pred) is not None, "the output carries no mask"
    value = m.loss(y, pred, sw)
    grads = torch.autograd.grad(value, [v.value for v in m.trainable_variables])
    h = m.fit(x, y, sample_weight=sw, batch_size=4, epochs=2, shuffle=False, verbose=0, validation_data=(xv, yv))
    ev = m.evaluate(xv, yv, batch_size=4, verbose=0, return_dict=True)
    return {"name": name, "x": arr(x), "y": arr(y), "sw": None if sw is None else arr(sw), "xv": arr(xv),
            "yv": arr(yv), "w0": [arr(w) for w in w0], "loss": float(value.detach()), "grads": [arr(g) for g in grads],
            "history": {k: [float(v) for v in vs] for k, vs in h.history.items()},
            "evaluate": {k: float(v) for k, v in ev.items()}, "final_weights": [arr(v) for v in m.trainable_variables]}


labels = lambda n: rng.integers(0, K, (n, T)).astype(np.int32)
cases = [
    case("lstm_dense_logits", [L.Embedding(V, D, mask_zero=True), L.LSTM(H, return_sequences=True), L.Dense(K)],
         keras.losses.SparseCategoricalCrossentropy(from_logits=True), labels,
         lambda n: rng.uniform(0.0, 2.0, (n, T)).astype(np.float32)),
    case("gru_time_distributed_softmax", [L.Embedding(V, D, mask_zero=True), L.GRU(H, return_sequences=True),
                                          L.TimeDistributed(L.Dense(K, activation="softmax"))],
         keras.losses.SparseCategoricalCrossentropy(), labels,
         lambda n: rng.uniform(0.5, 1.5, (n, 1)).astype(np.float32)),
    case("simple_rnn_mse", [L.Embedding(V, D, mask_zero=True), L.SimpleRNN(H, return_sequences=True), L.Dense(2)],
         keras.losses.MeanSquaredError(), lambda n: rng.normal(size=(n, T, 2)).astype(np.float32), None),
]
print(json.dumps({"keras": keras.__version__, "cases": cases}))
