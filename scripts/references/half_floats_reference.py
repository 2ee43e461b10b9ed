#!/usr/bin/env python3
"""Writes the reference values of nabla-core's HalfFloatsReferenceTest: float16 conversions from NumPy, bfloat16 ones
from ml_dtypes (which comes with JAX), NumPy's printing of float16 arrays, and a few ops on 16-bit operands computed
the way NumPy's float16 loops and ml_dtypes' bfloat16 loops compute them (in float32, rounded once at the end).

Values are written as float.hex strings (inf and nan included), 16-bit results as their unsigned bits.

Run with the peers' venv:
  ~/.cache/nabla-peers/venv/bin/python scripts/references/half_floats_reference.py \
      > nabla-core/src/test/resources/half/half_floats.json
"""
import json

import ml_dtypes
import numpy as np

BF16 = ml_dtypes.bfloat16
TYPES = {"float16": np.float16, "bfloat16": BF16}
rng = np.random.default_rng(16)


def bits(a):
    return np.asarray(a).view(np.uint16).reshape(-1).tolist()


def hexes(a):
    return [float(v).hex() for v in np.asarray(a, dtype=np.float64).reshape(-1)]


# Edge cases: signed zeros, ties to even, the largest finite values and the overflow threshold, subnormals and the
# underflow threshold, infinities, NaN, and float64 values that a two-step rounding would get wrong.
edges = [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, -2.5, 65504.0, 65519.99, 65520.0, 65536.0, 1e6, -1e6,
         2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0001, 3 * 2.0 ** -26, 2.0 ** -14, 2.0 ** -14 - 2.0 ** -24, 6e-8,
         1e-9, -1e-9, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 1 + 2.0 ** -11 + 2.0 ** -40,
         1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -8 + 2.0 ** -40, 3.3895e38, 3.3961e38, 3.4e38, 1e-40,
         1.17e-38, -3.0e38, float("inf"), float("-inf"), float("nan")]
wide = np.concatenate([np.array(edges), rng.normal(size=40) * 10.0 ** rng.integers(-9, 6, size=40)])
single = np.concatenate([np.array(edges, dtype=np.float32),
                         (rng.normal(size=40) * 10.0 ** rng.integers(-9, 6, size=40)).astype(np.float32)])

conversions = {
    "from_float64": {"x": hexes(wide), **{n: bits(wide.astype(t)) for n, t in TYPES.items()}},
    "from_float32": {"x": hexes(single), **{n: bits(single.astype(t)) for n, t in TYPES.items()}},
    # int64 and int32 values past the 16-bit ranges' exact integers
    "from_int64": {"x": [0, 1, -7, 2049, 2051, 65504, 65520, 70000, 257, 259, 1 << 40, -(1 << 62)],
                   **{n: bits(np.array([0, 1, -7, 2049, 2051, 65504, 65520, 70000, 257, 259, 1 << 40, -(1 << 62)],
                                       dtype=np.int64).astype(t)) for n, t in TYPES.items()}},
}

# NumPy's str() of float16 arrays (bfloat16 has no NumPy printing of its own)
prints = [[0.5, 1.5, -2.0], [0.1, 1.5, 65504.0], [1e-3, 2.5e-2, 3.0], [float("nan"), 1.0, float("-inf")],
          [0.0, -0.0, 7.0], [1 / 3]]
printing = [{"x": hexes(p), "str": str(np.array(p, dtype=np.float16))} for p in prints]

ops = []
for name, t in TYPES.items():
    x = (rng.normal(size=(4, 5)) * 3).astype(t)
    y = (rng.normal(size=(4, 5)) * 3).astype(t)
    z = (rng.normal(size=(5, 3))).astype(t)
    pos = np.abs(x).astype(t)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    # NumPy's float16 ufuncs and ml_dtypes' bfloat16 ufuncs compute in float32 and round once
    results = {
        "add": x + y,
        "mul": x * y,
        "div": x / y,
        "exp": np.exp(x),
        "tanh": np.tanh(x),
        "sqrt": np.sqrt(pos),
        # reductions and matmul: float32 accumulation, rounded once (TensorFlow's CPU kernels for 16-bit floats)
        "sum0": f32(x).sum(axis=0).astype(t),
        "mean1": f32(x).mean(axis=1).astype(t),
        "matmul": (f32(x) @ f32(z)).astype(t),
        "softmax": (np.exp(f32(x) - f32(x).max(axis=1, keepdims=True))
                    / np.exp(f32(x) - f32(x).max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)).astype(t),
    }
    ops.append({"dtype": name, "x": bits(x), "y": bits(y), "z": bits(z), "pos": bits(pos),
                **{k: bits(np.asarray(v).astype(t)) for k, v in results.items()}})

print(json.dumps({"numpy": np.__version__, "ml_dtypes": ml_dtypes.__version__, "conversions": conversions,
                  "printing": printing, "ops": ops}, indent=1))
