"""Keras reference values for Nabla's recurrent and embedding layers (tests in nabla-nn's RecurrentKerasTest).

Builds each layer configuration in Keras 3 (JAX backend, float64) with seeded weights, runs it on a seeded input,
and differentiates L = sum_k sum(output_k * r_k) (r_k seeded) with respect to the float inputs and every weight.
Writes, per case, into nabla-nn/src/test/resources/keras/rnn/<case>/:
  in_<i>.npy (inputs: float64 sequences/states, int32 ids), w_<j>.npy (weights in Keras' order, which is Nabla's),
  out_<k>.npy, r_<k>.npy, grad_in_<i>.npy (float inputs only), grad_w_<j>.npy, and meta.json.
Run: KERAS_BACKEND=jax /root/.cache/nabla-peers/venv/bin/python scripts/references/keras_rnn_reference.py
"""
import json
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.config.set_floatx("float64")
L = keras.layers
ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "nabla-nn", "src", "test", "resources", "keras", "rnn")
B, T, D, U = 2, 5, 3, 4
# keras.activations.tanh/sigmoid return float32 for float64 inputs on JAX (Keras 3.15), which would cap the
# references at float32 precision: the same functions from jax.numpy keep float64.
@keras.saving.register_keras_serializable()
def tanh64(x):
    return jnp.tanh(x)


@keras.saving.register_keras_serializable()
def sigmoid64(x):
    return jax.nn.sigmoid(x)


ACT = dict(activation=tanh64)
GATED = dict(activation=tanh64, recurrent_activation=sigmoid64)
# ids with padding: a trailing pad in row 0, a pad inside row 1 and at its start
IDS = np.array([[3, 1, 4, 1, 0], [0, 2, 0, 7, 5]], dtype=np.int32)


def seq(seed):
    return np.random.RandomState(seed).uniform(-1, 1, (B, T, D))


def state(seed):
    return np.random.RandomState(seed).uniform(-1, 1, (B, U))


def bidi(cls, kw, merge_mode="concat"):
    return L.Bidirectional(cls(3, **kw), merge_mode=merge_mode)


def case_models():
    """name -> (keras model builder, list of numpy inputs)."""
    cases = {}

    def seq_model(layer):
        x = keras.Input((T, D), dtype="float64")
        return keras.Model(x, layer(x))

    def ids_model(*layers):
        x = keras.Input((T,), dtype="int32")
        y = x
        for l in layers:
            y = l(y)
        return keras.Model(x, y)

    cases["simple_rnn_sequences"] = (lambda: seq_model(L.SimpleRNN(U, return_sequences=True, **ACT)), [seq(1)])
    cases["simple_rnn_last_backwards"] = (lambda: seq_model(L.SimpleRNN(U, go_backwards=True, **ACT)), [seq(2)])
    cases["lstm_last"] = (lambda: seq_model(L.LSTM(U, **GATED)), [seq(3)])
    cases["lstm_sequences_state"] = (
        lambda: seq_model(L.LSTM(U, return_sequences=True, return_state=True, **GATED)), [seq(4)])

    def lstm_initial():
        x, h, c = keras.Input((T, D), dtype="float64"), keras.Input((U,), dtype="float64"), keras.Input((U,), dtype="float64")
        return keras.Model([x, h, c], L.LSTM(U, return_state=True, **GATED)(x, initial_state=[h, c]))

    cases["lstm_initial_state"] = (lstm_initial, [seq(5), state(6), state(7)])
    cases["gru_sequences"] = (lambda: seq_model(L.GRU(U, return_sequences=True, **GATED)), [seq(8)])
    cases["gru_reset_before_state"] = (
        lambda: seq_model(L.GRU(U, reset_after=False, return_state=True, **GATED)), [seq(9)])

    def gru_initial():
        x, h = keras.Input((T, D), dtype="float64"), keras.Input((U,), dtype="float64")
        return keras.Model([x, h], L.GRU(U, return_sequences=True, go_backwards=True, **GATED)(x, initial_state=[h]))

    cases["gru_initial_state_backwards"] = (gru_initial, [seq(10), state(11)])
    cases["embedding"] = (lambda: ids_model(L.Embedding(10, D)), [IDS])
    cases["embedding_masked_gru_sequences"] = (
        lambda: ids_model(L.Embedding(10, D, mask_zero=True), L.GRU(U, return_sequences=True, **GATED)), [IDS])
    cases["embedding_masked_lstm_last"] = (
        lambda: ids_model(L.Embedding(10, D, mask_zero=True), L.LSTM(U, **GATED)), [IDS])
    cases["embedding_masked_simple_rnn_backwards"] = (
        lambda: ids_model(L.Embedding(10, D, mask_zero=True),
                          L.SimpleRNN(U, return_sequences=True, go_backwards=True, **ACT)), [IDS])
    cases["bidirectional_lstm_concat_masked"] = (
        lambda: ids_model(L.Embedding(10, D, mask_zero=True),
                          bidi(L.LSTM, dict(return_sequences=True, **GATED))), [IDS])
    cases["bidirectional_gru_sum"] = (lambda: seq_model(bidi(L.GRU, GATED, merge_mode="sum")), [seq(12)])
    cases["bidirectional_simple_rnn_ave_sequences"] = (
        lambda: seq_model(bidi(L.SimpleRNN, dict(return_sequences=True, **ACT), merge_mode="ave")), [seq(13)])
    cases["bidirectional_lstm_mul_state"] = (
        lambda: seq_model(bidi(L.LSTM, dict(return_state=True, **GATED), merge_mode="mul")), [seq(14)])
    cases["masking_lstm_sequences"] = (
        lambda: seq_model_masked(L.LSTM(U, return_sequences=True, **GATED)), [padded_seq(15)])
    return cases


def padded_seq(seed):
    """A float sequence whose padded steps (all features 0) sit at the end of row 0 and inside row 1."""
    x = seq(seed)
    x[0, 3:] = 0
    x[1, 1] = 0
    return x


def seq_model_masked(layer):
    x = keras.Input((T, D), dtype="float64")
    return keras.Model(x, layer(L.Masking(0.0)(x)))


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def write_case(name, build, inputs, seed):
    model = build()
    rs = np.random.RandomState(seed)
    weights = [rs.uniform(-0.5, 0.5, w.shape) for w in model.trainable_variables]
    for v, w in zip(model.trainable_variables, weights):
        v.assign(w)
    frozen = [v.value for v in model.non_trainable_variables]   # dropout seed generators
    outs = [np.asarray(o) for o in as_list(model(inputs if len(inputs) > 1 else inputs[0]))]
    rws = [rs.uniform(-1, 1, o.shape) for o in outs]
    floats = [i for i, a in enumerate(inputs) if a.dtype == np.float64]

    def loss(ws, xs):
        feed = list(inputs)
        for i, x in zip(floats, xs):
            feed[i] = x
        ys, _ = model.stateless_call(ws, frozen, feed if len(feed) > 1 else feed[0])
        return sum(jnp.sum(y * r) for y, r in zip(as_list(ys), rws))

    gw, gx = jax.grad(loss, argnums=(0, 1))([jnp.asarray(w) for w in weights], [jnp.asarray(inputs[i]) for i in floats])
    d = os.path.join(ROOT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for i, a in enumerate(inputs):
        np.save(os.path.join(d, f"in_{i}.npy"), a)
    for j, w in enumerate(weights):
        np.save(os.path.join(d, f"w_{j}.npy"), w)
        np.save(os.path.join(d, f"grad_w_{j}.npy"), np.asarray(gw[j]))
    for k, (o, r) in enumerate(zip(outs, rws)):
        np.save(os.path.join(d, f"out_{k}.npy"), o)
        np.save(os.path.join(d, f"r_{k}.npy"), r)
    for i, g in zip(floats, gx):
        np.save(os.path.join(d, f"grad_in_{i}.npy"), np.asarray(g))
    meta = {"case": name, "keras": keras.__version__, "inputs": len(inputs), "float_inputs": floats,
            "weights": [w.path for w in model.trainable_variables], "outputs": len(outs)}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, [o.shape for o in outs], [w.shape for w in weights])


def main():
    only = set(sys.argv[1:])
    for k, (name, (build, inputs)) in enumerate(case_models().items()):
        if not only or name in only:
            write_case(name, build, inputs, 100 + k)


if __name__ == "__main__":
    main()
