#!/usr/bin/env python3
"""PyTorch's side of nabla-nn's ConvLayersBench: the same layers and shapes (NCHW here, PyTorch's layout), a forward
pass under no_grad and a forward + backward to the input and every weight, milliseconds per call, alternating
rounds, medians (ranges in brackets).

  ~/.cache/nabla-peers/venv/bin/python scripts/bench/conv_layers_torch.py [rounds] [calls]
"""
import statistics
import sys
import time

import torch

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.manual_seed(0)
nn = torch.nn


def separable(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1, groups=cin), nn.Conv2d(cin, cout, 1))


CASES = [
    ("conv2d 8->8 3x3 same [32,56,56,8] (the depthwise FLOPs)", nn.Conv2d(8, 8, 3, padding=1), (32, 8, 56, 56)),
    ("depthwise 3x3 same [32,56,56,64]", nn.Conv2d(64, 64, 3, padding=1, groups=64), (32, 64, 56, 56)),
    ("separable 64->128 3x3 same [32,56,56,64]", separable(64, 128), (32, 64, 56, 56)),
    ("conv2d_transpose 64->32 3x3 stride 2 same [32,28,28,64]",
     nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), (32, 64, 28, 28)),
    ("conv3d 16->32 3x3x3 same [4,16,28,28,16]", nn.Conv3d(16, 32, 3, padding=1), (4, 16, 16, 28, 28)),
]


def forward(m, x):
    with torch.no_grad():
        return m(x)


def train(m, x):
    x.grad = None
    m.zero_grad(set_to_none=True)
    m(x).sum().backward()


def millis(fn, m, x):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn(m, x)
    return (time.perf_counter() - t0) * 1e3 / calls


inputs = [torch.rand(s) * 2 - 1 for _, _, s in CASES]
for (_, m, _), x in zip(CASES, inputs):
    x.requires_grad_(True)
    for _ in range(3):
        forward(m, x)
        train(m, x)
fwd = [[] for _ in CASES]
trn = [[] for _ in CASES]
for _ in range(rounds):
    for i, ((_, m, _), x) in enumerate(zip(CASES, inputs)):
        fwd[i].append(millis(forward, m, x))
        trn[i].append(millis(train, m, x))
print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
for (name, _, _), f, t in zip(CASES, fwd, trn):
    print(f"{name:58s} forward {statistics.median(f):8.2f} ms ({min(f):.2f}-{max(f):.2f})  "
          f"forward+grad {statistics.median(t):8.2f} ms ({min(t):.2f}-{max(t):.2f})")
