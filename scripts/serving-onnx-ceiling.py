#!/usr/bin/env python3
"""ONNX Runtime's own throughput on a model: the ceiling row of the serving load test (scripts/serving-load-test.sh).

usage: serving-onnx-ceiling.py MODEL.onnx [SECONDS=4] [ROUNDS=2] [CLIENTS=1,8,64]

With no server, no network and no parsing: N Python threads (closed loop, as the load test's clients) each call
InferenceSession.run on one random example (ONNX Runtime releases the GIL while it runs), so calls/s is the most a
server built on ONNX Runtime could answer one-example requests on this machine; and one thread running batches of
1, 8 and 64 examples gives examples/s, the ceiling of a perfect batcher. Default session options (intra-op threads:
the cores). Prints one line per setting and round, then the medians.
"""
import statistics
import sys
import threading
import time

import numpy as np
import onnxruntime as ort


def closed_loop(session, feeds, clients, seconds):
    """calls/s and p50/p99 latency (ms) of `clients` threads calling run() on `feeds` for `seconds`."""
    lat = [[] for _ in range(clients)]
    end = time.perf_counter() + seconds

    def client(i):
        while time.perf_counter() < end:
            t = time.perf_counter()
            session.run(None, feeds)
            lat[i].append(time.perf_counter() - t)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_lat = sorted(x for l in lat for x in l)
    p99 = all_lat[min(len(all_lat) - 1, int(len(all_lat) * 0.99))]
    return len(all_lat) / seconds, all_lat[len(all_lat) // 2] * 1e3, p99 * 1e3


def main():
    path = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 4
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    clients = [int(c) for c in (sys.argv[4] if len(sys.argv) > 4 else "1,8,64").split(",")]
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)

    def feeds(batch):
        return {i.name: rng.random([batch] + [d if isinstance(d, int) else 1 for d in i.shape[1:]],
                                   dtype=np.float32) for i in session.get_inputs()}

    one = feeds(1)
    for _ in range(50):
        session.run(None, one)   # warm-up
    results = {}
    for r in range(rounds):
        for c in clients:
            per_s, p50, p99 = closed_loop(session, one, c, seconds)
            results.setdefault(("clients", c), []).append((per_s, p50, p99))
            print(f"round {r + 1}  onnxruntime  clients {c:3d}  {per_s:8.1f} req/s  p50 {p50:7.2f} ms  "
                  f"p99 {p99:7.2f} ms", flush=True)
        for b in (1, 8, 64):
            f = feeds(b)
            per_s, p50, _ = closed_loop(session, f, 1, seconds)
            results.setdefault(("batch", b), []).append((per_s * b, p50, 0))
            print(f"round {r + 1}  onnxruntime  one thread, batches of {b:2d}  {per_s * b:9.1f} examples/s  "
                  f"{p50 * 1e3:7.1f} us per run", flush=True)
    print("medians over rounds:")
    for (kind, n), rs in results.items():
        med = statistics.median(x[0] for x in rs)
        spread = [round(x[0]) for x in rs]
        if kind == "clients":
            print(f"onnxruntime  clients {n:3d}  {med:8.1f} req/s ({spread})  p50 "
                  f"{statistics.median(x[1] for x in rs):7.2f} ms  p99 {statistics.median(x[2] for x in rs):7.2f} ms")
        else:
            print(f"onnxruntime  batches of {n:2d}  {med:9.1f} examples/s ({spread})")


if __name__ == "__main__":
    main()
