"""ONNX Runtime peer of scripts/compare-peers.sh: inference only, on the ONNX files `nabla export` wrote from Nabla's
reference models (input "image" [N, 28, 28] float32), intra-op threads = --threads, all graph optimizations on.
Parameters are the float initializers' elements (onnx package; null when it is missing). Output: see common.py."""
import os

import common
import numpy as np
import onnxruntime as ort


def parameters(path):
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        return None
    model = onnx.load(path)
    return sum(numpy_helper.to_array(t).size for t in model.graph.initializer
               if t.data_type == onnx.TensorProto.FLOAT)


def main():
    p = common.options(__doc__)
    p.add_argument("--onnx-dir", required=True, help="folder with <model>.onnx files")
    a = p.parse_args()
    peer = "ONNX Runtime %s (%d thread%s)" % (ort.__version__, a.threads, "" if a.threads == 1 else "s")
    for name, phase, batch in common.workloads(a):
        if phase != "infer":
            continue
        path = os.path.join(a.onnx_dir, name + ".onnx")
        so = ort.SessionOptions()
        so.intra_op_num_threads = a.threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        inp = sess.get_inputs()[0].name
        out = sess.get_outputs()[0].name  # logits only, as the other peers compute
        xs, _ = common.data(batch)
        xs = [np.ascontiguousarray(x) for x in xs]
        calls, secs = common.time_calls(lambda i: sess.run([out], {inp: xs[i % 4]}), a)
        common.emit(peer, name, phase, batch, calls, secs, parameters(path))


if __name__ == "__main__":
    main()
