"""ONNX Runtime's latency distribution for one exported model, as Lat.java prints Nabla's: min, p10, p50, p90 of
single `run` calls, 3 rounds. Same session options as scripts/peers/ort_peer.py (2 intra-op threads, all graph
optimizations). Usage: python ort_lat.py MODEL.onnx [batch] [calls per round]."""
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    path = sys.argv[1]
    b = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30000
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    inp, out = sess.get_inputs()[0].name, sess.get_outputs()[0].name
    rng = np.random.default_rng(1)
    xs = [rng.random((b, 28, 28), dtype=np.float32) for _ in range(4)]
    for i in range(n // 2):
        sess.run([out], {inp: xs[i & 3]})
    for _ in range(3):
        t = np.empty(n)
        for i in range(n):
            s = time.perf_counter_ns()
            sess.run([out], {inp: xs[i & 3]})
            t[i] = time.perf_counter_ns() - s
        t.sort()
        print("ort b%d: min %.2f us  p10 %.2f  p50 %.2f  p90 %.2f" % (b, t[0] / 1e3, t[n // 10] / 1e3, t[n // 2] / 1e3,
                                                                      t[9 * n // 10] / 1e3), flush=True)


if __name__ == "__main__":
    main()
