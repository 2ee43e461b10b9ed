#!/usr/bin/python3
"""PyTorch reference for scripts/compare-pytorch.sh: training and inference throughput (samples/s) of Nabla's two
reference models, built the same way (docs/nn.md), on random data, a fixed number of steps after a warm-up.

mlp: Flatten -> Linear(784, 128) + ReLU -> Dropout(0.2) -> Linear(128, 10); Adam(1e-3); batch 32.
cnn: Conv2d(1, 32, 3) + ReLU -> MaxPool(2) -> Conv2d(32, 64, 3) + ReLU -> MaxPool(2) -> Flatten -> Dropout(0.5)
     -> Linear(1600, 10); Adam(1e-3); batch 128.
Loss: cross-entropy from logits. Prints one JSON object per model on stdout.
"""
import argparse
import json
import time

import torch
from torch import nn


def make(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10)), 32
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10)), 128
    raise SystemExit("unknown model " + name)


def measure(name, threads, steps, warmup, batch, seconds):
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    model, default_batch = make(name)
    batch = batch or default_batch
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(1)
    xs = [torch.rand(batch, 1, 28, 28, generator=g) for _ in range(4)]
    ys = [torch.randint(0, 10, (batch,), generator=g) for _ in range(4)]

    def train_step(i):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % 4]), ys[i % 4])
        loss.backward()
        opt.step()
        return loss

    # At least `warmup` untimed and `steps` timed steps, each phase also at least `seconds` long (as nabla bench-train).
    model.train()
    w0 = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - w0 < seconds:
        train_step(i)
        i += 1
    t0 = time.perf_counter()
    train_steps = 0
    while train_steps < steps or time.perf_counter() - t0 < seconds:
        loss = train_step(train_steps)
        train_steps += 1
    loss.item()
    train_s = time.perf_counter() - t0

    model.eval()
    with torch.no_grad():
        w1 = time.perf_counter()
        i = 0
        while i < warmup or time.perf_counter() - w1 < seconds:
            model(xs[i % 4])
            i += 1
        t1 = time.perf_counter()
        infer_steps = 0
        while infer_steps < steps or time.perf_counter() - t1 < seconds:
            out = model(xs[infer_steps % 4])
            infer_steps += 1
        out.sum().item()
        infer_s = time.perf_counter() - t1
    return {"model": name, "batch_size": batch, "threads": threads, "train_steps": train_steps,
            "infer_steps": infer_steps,
            "train_samples_per_second": train_steps * batch / train_s,
            "infer_samples_per_second": infer_steps * batch / infer_s,
            "torch": torch.__version__, "blas": blas()}


def blas():
    """The BLAS library PyTorch really loaded (Debian's torch reports "generic" whatever the alternative)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.lower():
                libs.add(path)
    return ", ".join(sorted(libs)) or "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="mlp,cnn")
    p.add_argument("--threads", default="mlp=1,cnn=2", help="threads per model, e.g. mlp=1,cnn=2")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=0)
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    threads = dict(kv.split("=") for kv in a.threads.split(","))
    for name in a.model.split(","):
        print(json.dumps(measure(name, int(threads.get(name, 1)), a.steps, a.warmup, a.batch_size, a.seconds)), flush=True)


if __name__ == "__main__":
    main()
