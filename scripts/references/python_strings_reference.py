#!/usr/bin/env python3
"""Writes the reference values of nabla-core's StringsReferenceTest from Python's own bytes/str/re functions and
NumPy: split (bytes.split), lower/upper (bytes for ASCII, str for utf-8), lengths, substrings (slicing), RE2-style
full matches and replacements (re with re.ASCII, whose \\w \\d \\s and case rules are RE2's for these patterns),
number parsing (float / numpy.float32 / int) and printf formatting (Python's % operator, which is C's printf).
Strings produced are written as hex of their bytes, so cut UTF-8 sequences survive JSON.

  ~/.cache/nabla-peers/venv/bin/python scripts/references/python_strings_reference.py \\
      > nabla-core/src/test/resources/strings/python_strings.json
"""
import json
import re

import numpy as np

SAMPLES = ["Hello World", "  leading and  trailing  ", "", "a,b,,c", "héllo wörld ÄÖÜ", "tab\tsep\nnew line",
           "MiXeD 123 abc", "straße ΟΔΟΣ", "日本語 テキスト", "ab", "xaby abab"]


def hx(b):
    return b.hex()


cases = []

for sep in ("", ",", " ", "ab"):
    for maxsplit in (-1, 1, 2):
        rows = [s.encode().split(sep.encode() if sep else None, maxsplit) for s in SAMPLES]
        cases.append({"op": "split", "sep": sep, "maxsplit": maxsplit, "input": SAMPLES,
                      "rows": [[hx(p) for p in r] for r in rows]})

for encoding in ("", "utf-8"):
    if encoding:
        lower = [s.lower().encode() for s in SAMPLES]
        upper = [s.upper().encode() for s in SAMPLES]
    else:
        lower = [s.encode().lower() for s in SAMPLES]
        upper = [s.encode().upper() for s in SAMPLES]
    cases.append({"op": "lower", "encoding": encoding, "input": SAMPLES, "out": [hx(b) for b in lower]})
    cases.append({"op": "upper", "encoding": encoding, "input": SAMPLES, "out": [hx(b) for b in upper]})

cases.append({"op": "length", "unit": "BYTE", "input": SAMPLES, "out": [len(s.encode()) for s in SAMPLES]})
cases.append({"op": "length", "unit": "UTF8_CHAR", "input": SAMPLES, "out": [len(s) for s in SAMPLES]})

for unit in ("BYTE", "UTF8_CHAR"):
    for pos, length in ((0, 3), (1, 100), (-2, 2), (2, 0)):
        out = []
        ok = []
        for s in SAMPLES:
            seq = s.encode() if unit == "BYTE" else s
            size = len(seq)
            start = pos + size if pos < 0 else pos
            if start < 0 or start > size:
                ok.append(False)
                out.append("")
                continue
            piece = seq[start:start + length]
            ok.append(True)
            out.append(hx(piece if unit == "BYTE" else piece.encode()))
        cases.append({"op": "substr", "unit": unit, "pos": pos, "len": length, "input": SAMPLES, "ok": ok,
                      "out": out})

# (RE2 pattern, the same in Python's re)
PATTERNS = [("[a-z]+", "[a-z]+"), (r"\w+ \w+", r"\w+ \w+"), (".*o.*", ".*o.*"), ("(?i)hello world", "(?i)hello world"),
            ("[[:alpha:] ]+", "[A-Za-z ]+"), (r"\D*\d{3}\D*", r"\D*\d{3}\D*"), ("(?P<x>a),b.*", "(?P<x>a),b.*"),
            ("[^,]*(,[^,]*)*", "[^,]*(,[^,]*)*"), (r"\s*\S+(\s+\S+)*\s*", r"\s*\S+(\s+\S+)*\s*")]
for re2, py in PATTERNS:
    rx = re.compile(py, re.ASCII)
    cases.append({"op": "regex_full_match", "pattern": re2, "input": SAMPLES,
                  "out": [rx.fullmatch(s) is not None for s in SAMPLES]})

# (RE2 pattern, RE2 rewrite, Python pattern, Python rewrite)
REPLACES = [("o", "0", "o", "0"), ("[aeiou]", "<\\0>", "[aeiou]", "<\\g<0>>"), (r"(\w+) (\w+)", r"\2 \1", r"(\w+) (\w+)", r"\2 \1"),
            (r"\s+", " ", r"\s+", " "), ("ab", "$x", "ab", "$x"), ("^", ">", "^", ">")]
for re2, rw2, py, rwpy in REPLACES:
    rx = re.compile(py, re.ASCII)
    for glob in (True, False):
        out = [hx(rx.sub(rwpy, s, count=0 if glob else 1).encode()) for s in SAMPLES]
        cases.append({"op": "regex_replace", "pattern": re2, "rewrite": rw2, "global": glob, "input": SAMPLES,
                      "out": out})

FLOATS = ["1.5", "  -2e3 ", "+.5", "inf", "-Infinity", "nan", "3.", "1e-5", "0.1", "16777217", "-0", "1E+2",
          "3.4028235e38", "123456789.123456789"]
for dtype in ("float32", "float64"):
    vals = [float(np.float32(s.strip())) if dtype == "float32" else float(s) for s in FLOATS]
    cases.append({"op": "to_number", "dtype": dtype, "input": FLOATS,
                  "out": [repr(v) for v in vals]})  # repr keeps inf/nan and every digit
INTS = ["0", " 42", "-7 ", "+13", "2147483647", "-2147483648"]
cases.append({"op": "to_number", "dtype": "int32", "input": INTS, "out": [str(int(s)) for s in INTS]})
INT64S = INTS + ["9223372036854775807", "-9223372036854775808", "3000000000"]
cases.append({"op": "to_number", "dtype": "int64", "input": INT64S, "out": [str(int(s)) for s in INT64S]})
BAD = {"float32": ["abc", "", "1e", "0x10", "1.5.2", "1e39", "1_000"], "float64": ["abc", "", "- 1", "1e400", "infx"],
       "int32": ["1.5", "", "3000000000", "1e3", "0x1"], "int64": ["9223372036854775808", "12a", " "]}
for dtype, inputs in BAD.items():
    cases.append({"op": "to_number_fails", "dtype": dtype, "input": inputs})

FVALUES = [3.14159, -0.5, 0.5, 2.5, 1e-7, 123456789.0, 0.0, -0.0, 1e300, float("inf"), float("nan"), 0.125, 99.995,
           9.9999999]
FORMATS = [(-1, False, False, -1, ""), (2, False, False, -1, ""), (0, False, False, -1, ""), (3, True, False, -1, ""),
           (-1, True, False, -1, ""), (-1, False, True, -1, ""), (4, False, True, -1, ""), (0, False, True, -1, ""),
           (2, False, False, 10, "0"), (2, False, False, 10, ""), (1, False, False, 12, "-"), (1, False, False, -1, "+"),
           (1, False, False, 6, " "), (3, True, False, 14, "0")]


def printf(value, precision, scientific, shortest, width, fill, conv=None):
    if fill == "0" and isinstance(value, float) and not np.isfinite(value):
        fill = ""  # C's printf pads inf and nan with spaces whatever the 0 flag; Python's % pads them with zeros
    fmt = "%" + fill + (str(width) if width > -1 else "") + ("." + str(precision) if precision > -1 else "")
    fmt += conv or ("e" if scientific else "g" if shortest else "f")
    return fmt % value


for dtype in ("float64", "float32"):
    vals = [float(np.float32(v)) if dtype == "float32" else v for v in FVALUES]
    for f in FORMATS:
        cases.append({"op": "as_string", "dtype": dtype, "format": list(f), "input": [repr(v) for v in vals],
                      "out": [printf(v, *f) for v in vals]})
IVALUES = [0, 7, -42, 2147483647, -2147483648]
for width, fill in ((-1, ""), (6, ""), (6, "0"), (6, "-"), (-1, "+"), (4, " ")):
    cases.append({"op": "as_string", "dtype": "int32", "format": [-1, False, False, width, fill],
                  "input": [str(v) for v in IVALUES], "out": [printf(v, -1, False, False, width, fill, "d")
                                                               for v in IVALUES]})

M = np.array([["a", "bb", "c"], ["dd", "", "f"]], dtype=object)
for axes, keep, sep in (([0], False, ""), ([1], False, ","), ([-1], True, "-"), ([], False, " "), ([0, 1], True, "|"),
                        ([1, 0], False, "")):
    red = tuple(a % 2 for a in axes) if axes else (0, 1)
    kept = [a for a in range(2) if a not in red]
    moved = np.transpose(M, kept + sorted(red))
    flat = moved.reshape([M.shape[a] for a in kept] + [-1])
    out = np.array([sep.join(r) for r in flat.reshape(-1, flat.shape[-1])], dtype=object)
    shape = [1 if a in red else M.shape[a] for a in range(2)] if keep else [M.shape[a] for a in kept]
    cases.append({"op": "reduce_join", "axes": axes, "keepDims": keep, "separator": sep,
                  "input": M.reshape(-1).tolist(), "shape": list(M.shape), "out": out.tolist(), "outShape": shape})

A = np.array([["a", "b"], ["c", "d"]], dtype=object)
B = np.array(["x", "yy"], dtype=object)
cases.append({"op": "join", "separator": "-", "a": A.reshape(-1).tolist(), "aShape": [2, 2], "b": B.tolist(),
              "bShape": [2], "out": [A[i, j] + "-" + B[j] for i in range(2) for j in range(2)], "outShape": [2, 2]})

print(json.dumps({"generator": "scripts/references/python_strings_reference.py", "numpy": np.__version__,
                  "cases": cases}, ensure_ascii=False, indent=1))
