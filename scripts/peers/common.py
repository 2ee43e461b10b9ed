"""Shared by the peer scripts of scripts/compare-peers.sh: options, seeded data, the timing loop and the output.

Every peer prints one JSON object per line on stdout, one per workload measured:
  {"peer": "PyTorch 2.13.0 (1 thread)", "model": "mlp", "phase": "train" | "infer", "batch_size": 32,
   "samples_per_second": ..., "seconds_per_call": ..., "calls": ..., "parameters": ...}
Workloads: train at the model's reference batch (mlp 32, cnn 128) and inference at each --infer-batch.
The data are random and seeded: images uniform in [0, 1) with the Fashion-MNIST shape 28x28, labels in 0..9.
"""
import argparse
import json
import sys
import time

import numpy as np

TRAIN_BATCH = {"mlp": 32, "cnn": 128}
SIDE, CLASSES = 28, 10


def options(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--models", default="mlp,cnn")
    p.add_argument("--phases", default="train,infer", help="train and/or infer")
    p.add_argument("--infer-batch", default="1000,1", help="inference batch sizes, comma-separated")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5, help="at least this many untimed calls first")
    p.add_argument("--steps", type=int, default=5, help="at least this many timed calls")
    p.add_argument("--seconds", type=float, default=1.0, help="warm up and time each workload this long too")
    return p


def workloads(a):
    """(model, phase, batch) triples in a fixed order."""
    phases = a.phases.split(",")
    for m in a.models.split(","):
        if "train" in phases:
            yield m, "train", TRAIN_BATCH[m]
        if "infer" in phases:
            for b in a.infer_batch.split(","):
                yield m, "infer", int(b)


def data(batch, seed=1, variants=4):
    """`variants` image batches [batch, 28, 28] float32 and label batches [batch] int64, seeded."""
    rng = np.random.default_rng(seed)
    xs = [rng.random((batch, SIDE, SIDE), dtype=np.float32) for _ in range(variants)]
    ys = [rng.integers(0, CLASSES, batch).astype(np.int64) for _ in range(variants)]
    return xs, ys


def time_calls(call, a, sync=lambda r: None):
    """Calls call(i) for at least a.warmup calls and a.seconds, then times at least a.steps calls and a.seconds.
    sync(result) forces the last result (asynchronous runtimes). Returns (calls, seconds)."""
    w0 = time.perf_counter()
    i = 0
    while i < a.warmup or time.perf_counter() - w0 < a.seconds:
        sync(call(i))
        i += 1
    t0 = time.perf_counter()
    n = 0
    r = None
    while n < a.steps or time.perf_counter() - t0 < a.seconds:
        r = call(n)
        n += 1
    sync(r)
    return n, time.perf_counter() - t0


def emit(peer, model, phase, batch, calls, seconds, parameters):
    print(json.dumps({"peer": peer, "model": model, "phase": phase, "batch_size": batch,
                      "samples_per_second": calls * batch / seconds, "seconds_per_call": seconds / calls,
                      "calls": calls, "parameters": parameters}), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)
