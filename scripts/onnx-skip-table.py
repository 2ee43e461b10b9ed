#!/usr/bin/env python3
"""Groups the skips of `nabla onnx-test` runs by reason, as the Markdown table in docs/onnx.md.

Usage: scripts/onnx-skip-table.py RUN_OUTPUT...   (files holding the printed lines of `nabla onnx-test DIR`)
"""
import re
import sys
from collections import OrderedDict

GROUPS = [
    ("float8e8m0 dtype (an exponent-only float8 whose Cast takes a round_mode; not a Nabla dtype)",
     r"element type float8e8m0"),
    ("sequence and optional values", r"is a sequence|is an optional|Sequence|Optional"),
    ("operators of other domains (ai.onnx.ml's TreeEnsemble, ai.onnx.preview's FlexAttention)", r"unknown opset domain"),
    ("expected output wrong beyond ONNX's tolerance (OnnxConformance.DATA_ISSUES)", r"expected output carries"),
    ("a value needed at import is computed at run time", r"must be known when the model is imported"),
]


def main(paths):
    skips = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            m = re.match(r"skip (\S+) \((.*)\)$", line.strip())
            if m:
                skips.append((m.group(1), m.group(2)))
    groups = OrderedDict((title, []) for title, _ in GROUPS)
    operators = OrderedDict()
    for name, reason in skips:
        for title, pattern in GROUPS:
            if re.search(pattern, reason):
                groups[title].append(name)
                break
        else:
            m = re.match(r"unsupported ONNX operators?: (\w+)", reason)
            key = "operator " + m.group(1) + " not imported" if m else reason
            operators.setdefault(key, []).append(name)
    print("| reason | cases | which |")
    print("|---|---|---|")
    rows = [(t, c) for t, c in groups.items() if c] + sorted(operators.items(), key=lambda kv: -len(kv[1]))
    for title, cases in rows:
        print(f"| {title} | {len(cases)} | {' '.join('`' + c + '`' for c in cases)} |")
    print(f"| **total** | **{len(skips)}** | |")


if __name__ == "__main__":
    main(sys.argv[1:])
