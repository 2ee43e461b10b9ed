#!/usr/bin/env python3
"""Writes the reference values of nabla-core's LowPrecisionReferenceTest from ml_dtypes (which comes with JAX): every
bit pattern of float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz (256 each) and float4_e2m1fn (16)
decoded to float32, and float32 values converted to each of them (ml_dtypes' non-saturating conversion, round to
nearest even): every representable value, every midpoint between neighbours (the ties), values just beside the
midpoints, the overflow thresholds, subnormals, signed zeros, infinities, NaN and random values; int4, uint4, int2 and
uint2 from float32 (truncated, then the low bits kept) and from int64.

Values are written as float.hex strings (inf and nan included), low-precision results as their unsigned bits.

Run with the peers' venv:
  ~/.cache/nabla-peers/venv/bin/python scripts/references/lowp_reference.py \
      > nabla-core/src/test/resources/lowp/lowp.json
"""
import json

import ml_dtypes
import numpy as np

FLOATS = {"float8_e4m3fn": (ml_dtypes.float8_e4m3fn, 8), "float8_e4m3fnuz": (ml_dtypes.float8_e4m3fnuz, 8),
          "float8_e5m2": (ml_dtypes.float8_e5m2, 8), "float8_e5m2fnuz": (ml_dtypes.float8_e5m2fnuz, 8),
          "float4_e2m1fn": (ml_dtypes.float4_e2m1fn, 4)}
INTS = {"int4": ml_dtypes.int4, "uint4": ml_dtypes.uint4, "int2": ml_dtypes.int2, "uint2": ml_dtypes.uint2}
rng = np.random.default_rng(8)


def hexes(a):
    """float.hex strings; a NaN with its sign bit set as "-nan" (float.hex drops the sign)."""
    return ["-nan" if np.isnan(v) and np.signbit(v) else float(v).hex()
            for v in np.asarray(a, dtype=np.float64).reshape(-1)]


floats = {}
for name, (t, bits) in FLOATS.items():
    codes = np.arange(1 << bits, dtype=np.uint8)
    decoded = codes.view(t) if bits == 8 else np.array([c for c in codes], dtype=np.uint8).view(t)
    values = decoded.astype(np.float32)
    finite = np.unique(np.abs(values[np.isfinite(values)]))
    mids = (finite[:-1].astype(np.float64) + finite[1:]) / 2
    top = float(finite[-1])
    # the gap above the largest value, as if the format went on: ties there decide overflow
    ulp = 2.0 ** (np.floor(np.log2(top)) - (3 if "e4m3" in name else 2 if "e5m2" in name else 1))
    x = np.concatenate([finite, -finite, mids, -mids, np.nextafter(mids.astype(np.float32), np.float32(np.inf)),
                        np.nextafter(mids.astype(np.float32), np.float32(-np.inf)),
                        [top + ulp / 2, top + ulp / 4, top + ulp, 1e6, -1e6, 1e-9, -1e-9, 0.0, -0.0,
                         np.inf, -np.inf, np.nan],
                        rng.normal(size=60) * 10.0 ** rng.integers(-4, 5, size=60)]).astype(np.float32)
    if name != "float4_e2m1fn":  # ml_dtypes maps -nan to +0 for float4 (which has no NaN), +nan to -0: not pinned
        x = np.concatenate([x, np.array([-np.nan], dtype=np.float32)])
    floats[name] = {"decoded": hexes(values), "x": hexes(x), "bits": x.astype(t).view(np.uint8).tolist()
                    if bits == 8 else [int(b) & 0xf for b in x.astype(t).view(np.uint8).tolist()]}

fx = np.array([-9, -8.5, -8, -2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.7, 3, 7, 8, 15, 15.9, 16, 17, 100, -100], dtype=np.float32)
ix = np.array([-9, -8, -3, -2, -1, 0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 1 << 40, -(1 << 40) - 3], dtype=np.int64)
ints = {n: {"from_float32": fx.astype(t).astype(np.int64).tolist(), "from_int64": ix.astype(t).astype(np.int64).tolist()}
        for n, t in INTS.items()}

print(json.dumps({"numpy": np.__version__, "ml_dtypes": ml_dtypes.__version__, "floats": floats,
                  "ints": {"float32": hexes(fx), "int64": ix.tolist(), **ints}}, indent=1))
