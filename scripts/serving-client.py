#!/usr/bin/env python3
"""Calls a running `nabla serve` with the `requests` library, as a TensorFlow Serving client would.

usage: serving-client.py BASE_URL MODEL_NAME
Checks the status, the metadata and a row-format and a columnar predict of a model with one input of any shape;
prints one line per check and exits 1 on the first failure.
"""
import sys

import requests


def zeros(dims):
    """A nested list of zeros with these dims (-1 taken as 1)."""
    if not dims:
        return 0.0
    return [zeros(dims[1:]) for _ in range(max(1, dims[0]))]


def main():
    base, name = sys.argv[1], sys.argv[2]
    url = f"{base}/v1/models/{name}"
    status = requests.get(url, timeout=10).json()
    assert status["model_version_status"][0]["state"] == "AVAILABLE", status
    print("status: AVAILABLE")
    sig = requests.get(url + "/metadata", timeout=10).json()["metadata"]["signature_def"]["signature_def"][
        "serving_default"]
    (in_name, spec), = sig["inputs"].items()
    dims = [int(d["size"]) for d in spec["tensor_shape"]["dim"]]
    print(f"metadata: input {in_name} {dims}, outputs {sorted(sig['outputs'])}")
    example = zeros(dims[1:])
    rows = requests.post(url + ":predict", json={"instances": [example, example]}, timeout=10)
    assert rows.status_code == 200, rows.text
    predictions = rows.json()["predictions"]
    assert len(predictions) == 2, predictions
    cols = requests.post(url + ":predict", json={"inputs": {in_name: [example, example]}}, timeout=10)
    assert cols.status_code == 200, cols.text
    outputs = cols.json()["outputs"]
    first = predictions[0] if len(sig["outputs"]) == 1 else predictions[0][sorted(sig["outputs"])[0]]
    col_first = outputs[0] if len(sig["outputs"]) == 1 else outputs[sorted(sig["outputs"])[0]][0]
    assert first == col_first, (first, col_first)
    print(f"predict: row and columnar agree, {len(predictions)} predictions")
    bad = requests.post(url + ":predict", data="{not json", timeout=10)
    assert bad.status_code == 400 and "error" in bad.json(), bad.text
    print("errors: 400 with an error message")


if __name__ == "__main__":
    main()
