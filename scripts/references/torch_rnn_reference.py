"""PyTorch cross-check of Nabla's LSTM and GRU (tests in nabla-nn's RecurrentKerasTest, cases torch_*).

PyTorch 2.13 (float64) runs torch.nn.LSTM / torch.nn.GRU (batch_first) on a seeded input with seeded weights; the
weights are converted to Keras' layout (kernel [D, gates*U], recurrent_kernel [U, gates*U], bias) so the Java test
loads them like the Keras cases, and the gradients of L = sum_k sum(output_k * r_k) are converted the same way.
LSTM: PyTorch's gates i, f, g, o are Keras' i, f, c, o; the two biases add up. GRU: PyTorch's r, z, n become Keras'
z, r, h with reset_after (n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) n + z h), bias rows (input,
recurrent). Files go to nabla-nn/src/test/resources/keras/rnn/torch_<case>/ in the format keras_rnn_reference.py
writes. Run: /root/.cache/nabla-peers/venv/bin/python scripts/references/torch_rnn_reference.py
"""
import json
import os
import shutil

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "nabla-nn", "src", "test", "resources", "keras", "rnn")
B, T, D, U = 2, 5, 3, 4


def gru_order(w):
    """PyTorch's (r, z, n) blocks along axis 0 -> Keras' (z, r, h)."""
    r, z, n = torch.chunk(w, 3, dim=0)
    return torch.cat([z, r, n], dim=0)


def write(name, inputs, weights, outputs, rs, grad_inputs, grad_weights, paths):
    d = os.path.join(ROOT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for i, a in enumerate(inputs):
        np.save(os.path.join(d, f"in_{i}.npy"), a)
    for j, (w, g) in enumerate(zip(weights, grad_weights)):
        np.save(os.path.join(d, f"w_{j}.npy"), w)
        np.save(os.path.join(d, f"grad_w_{j}.npy"), g)
    for k, (o, r) in enumerate(zip(outputs, rs)):
        np.save(os.path.join(d, f"out_{k}.npy"), o)
        np.save(os.path.join(d, f"r_{k}.npy"), r)
    for i, g in enumerate(grad_inputs):
        np.save(os.path.join(d, f"grad_in_{i}.npy"), g)
    meta = {"case": name, "torch": torch.__version__, "inputs": len(inputs), "float_inputs": list(range(len(inputs))),
            "weights": paths, "outputs": len(outputs)}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, [o.shape for o in outputs], [w.shape for w in weights])


def run(kind, seed):
    torch.manual_seed(seed)
    rs = np.random.RandomState(seed)
    cls = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
    net = cls(D, U, batch_first=True).double()
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(rs.uniform(-0.5, 0.5, tuple(p.shape))))
    x = torch.from_numpy(rs.uniform(-1, 1, (B, T, D))).requires_grad_(True)
    seq, state = net(x)
    hs = [state[0][0], state[1][0]] if kind == "lstm" else [state[0]]
    outs = [seq] + hs   # like Keras' return_sequences=True, return_state=True
    rws = [torch.from_numpy(rs.uniform(-1, 1, tuple(o.shape))) for o in outs]
    loss = sum((o * r).sum() for o, r in zip(outs, rws))
    loss.backward()
    wi, wh, bi, bh = net.weight_ih_l0, net.weight_hh_l0, net.bias_ih_l0, net.bias_hh_l0
    t = (lambda w: w) if kind == "lstm" else gru_order
    if kind == "lstm":
        weights = [wi.T, wh.T, bi + bh]
        grads = [wi.grad.T, wh.grad.T, bi.grad]   # d/d(bi + bh) = d/d bi
    else:
        weights = [t(wi).T, t(wh).T, torch.stack([t(bi), t(bh)])]
        grads = [t(wi.grad).T, t(wh.grad).T, torch.stack([t(bi.grad), t(bh.grad)])]
    np_ = lambda a: a.detach().numpy().copy()
    write("torch_" + kind + "_sequences_state", [np_(x)], [np_(w) for w in weights], [np_(o) for o in outs],
          [np_(r) for r in rws], [np_(x.grad)], [np_(g) for g in grads], ["kernel", "recurrent_kernel", "bias"])


if __name__ == "__main__":
    run("lstm", 201)
    run("gru", 202)
