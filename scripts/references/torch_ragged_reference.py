#!/usr/bin/env python3
"""Writes the reference values of the ragged-tensor tests (nabla-core RaggedTorchReferenceTest) from PyTorch:
row reductions with torch.segment_reduce and padding with torch.nn.utils.rnn.pad_sequence, both differentiated by
autograd (float64); boolean masks with plain indexing. Rows are given by their lengths.

Run with a Python that has torch (e.g. ~/.cache/nabla-peers/venv, see scripts/compare-peers.sh):
  python scripts/references/torch_ragged_reference.py > nabla-core/src/test/resources/ragged/torch_ragged.json
"""
import json
import torch
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(11)
D = torch.float64
cases = []


def arr(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


for lengths, inner in (([3, 1, 2, 4], []), ([2, 3, 1], [2])):
    n = sum(lengths)
    for reduce in ("sum", "max", "mean"):
        values = (torch.rand([n] + inner, dtype=D) * 2 - 1).requires_grad_()
        out = torch.segment_reduce(values, reduce, lengths=torch.tensor(lengths), axis=0)
        w = torch.rand(out.shape, dtype=D) + 0.5
        (out * w).sum().backward()
        cases.append({"name": "reduce_" + reduce, "lengths": lengths, "values": arr(values), "out": arr(out),
                      "weights": arr(w), "grad_values": arr(values.grad)})
    values = (torch.rand([n] + inner, dtype=D) * 2 - 1).requires_grad_()
    rows = torch.split(values, lengths)
    out = pad_sequence(list(rows), batch_first=True, padding_value=-2.5)
    w = torch.rand(out.shape, dtype=D) + 0.5
    (out * w).sum().backward()
    cases.append({"name": "to_tensor", "lengths": lengths, "default": -2.5, "values": arr(values), "out": arr(out),
                  "weights": arr(w), "grad_values": arr(values.grad)})

data = torch.arange(12, dtype=D).reshape(3, 4)
mask = torch.tensor([[True, False, True, True], [False, False, False, False], [False, True, False, True]])
cases.append({"name": "boolean_mask", "data": arr(data), "mask": mask.reshape(-1).tolist(),
              "rows": [data[r][mask[r]].tolist() for r in range(3)]})

print(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1))
