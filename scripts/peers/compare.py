"""Driver of scripts/compare-peers.sh (standard library only): runs Nabla and each installed peer in alternating
rounds, one process each, checks that every peer's models have Nabla's parameter counts, and writes the medians as
JSON and as a markdown table.

Each peer is one command line printing the JSON lines of common.py; Nabla's `bench-train --json` rows are turned
into the same records. Ratios are Nabla / peer in speed (samples/s; for batch-1 latency, peer time / Nabla time),
so above 1 Nabla is faster.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROWS = [("mlp", "train", 32), ("cnn", "train", 128), ("mlp", "infer", 1000), ("cnn", "infer", 1000),
        ("mlp", "infer", 1), ("cnn", "infer", 1)]


def nabla_records(rows, phases=("train", "infer")):
    """bench-train --json rows -> common.py records, of the given phases only (no training row for --no-train)."""
    out = []
    for r in rows:
        peer = "Nabla (%d thread%s)" % (r["threads"], "" if r["threads"] == 1 else "s")
        base = {"peer": peer, "model": r["model"], "parameters": r["parameters"]}
        train = r.get("train_samples_per_second")
        if "train" in phases and isinstance(train, (int, float)) and train == train:
            b = r["batch_size"]
            out.append(dict(base, phase="train", batch_size=b, samples_per_second=r["train_samples_per_second"],
                            seconds_per_call=b / r["train_samples_per_second"]))
        for key in r:
            if "infer" in phases and key.startswith("infer_b") and key.endswith("_samples_per_second"):
                b = int(key[len("infer_b"):-len("_samples_per_second")])
                out.append(dict(base, phase="infer", batch_size=b, samples_per_second=r[key],
                                seconds_per_call=r["infer_b%d_seconds_per_call" % b]))
    return out


def run(name, cmd, env, phases=("train", "infer")):
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-15:])
        raise RuntimeError("%s failed (exit %d):\n%s" % (name, p.returncode, tail))
    text = p.stdout.strip()
    if name == "nabla":
        recs = nabla_records(json.loads(text), phases)
    else:
        recs = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    print("  %-10s %5.1f s, %d workloads" % (name, time.time() - t0, len(recs)), file=sys.stderr, flush=True)
    return recs


def check_parameters(recs, expected):
    for r in recs:
        want = expected.get(r["model"])
        if r["parameters"] is None:
            continue
        if want is not None and r["parameters"] != want:
            raise SystemExit("compare-peers: %s's %s has %d parameters, Nabla's has %d: not the same model"
                             % (r["peer"], r["model"], r["parameters"], want))


def label(model, phase, batch):
    if phase == "train":
        return "%s train, batch %d (samples/s)" % (model, batch)
    if batch == 1:
        return "%s inference, batch 1 (latency, µs)" % model
    return "%s inference, batch %d (samples/s)" % (model, batch)


def fmt(v):
    for div, suffix in ((1e6, "M"), (1e3, "k")):
        if v >= div:
            return "%.3g%s" % (v / div, suffix)
    return "%.3g" % v


def summarize(results):
    """{peer: {row: [values]}} -> rows with medians, ranges and ratios (speed: samples/s, or 1/latency)."""
    table = []
    nabla = next(p for p in results if p.startswith("Nabla"))
    for model, phase, batch in ROWS:
        key = "%s/%s/%d" % (model, phase, batch)
        cells = {}
        for peer, rows in results.items():
            vals = rows.get(key)
            if not vals:
                continue
            speed = [v["samples_per_second"] for v in vals]
            lat = [v["seconds_per_call"] * 1e6 for v in vals]
            cells[peer] = {"median_samples_per_second": statistics.median(speed),
                           "min_samples_per_second": min(speed), "max_samples_per_second": max(speed),
                           "median_latency_us": statistics.median(lat), "rounds": len(vals),
                           "parameters": vals[0]["parameters"]}
            cells[peer]["samples_per_second"] = speed
        if nabla not in cells:
            continue
        row = {"workload": label(model, phase, batch), "model": model, "phase": phase, "batch_size": batch,
               "cells": cells}
        rank(row, nabla)
        table.append(row)
    return table


def rank(row, nabla):
    """Sets each peer's Nabla ratio and the strongest peer, from the medians the table shows: samples/s, or the
    latency at batch 1 (the median of speeds is not the inverse of the median of latencies over an even count)."""
    cells = row["cells"]
    if row["batch_size"] == 1:
        speed = {p: 1 / c["median_latency_us"] for p, c in cells.items()}
    else:
        speed = {p: c["median_samples_per_second"] for p, c in cells.items()}
    peers = [p for p in cells if p != nabla]
    for p in peers:
        cells[p]["nabla_ratio"] = speed[nabla] / speed[p]
    row["strongest_peer"] = max(peers, key=lambda p: speed[p]) if peers else None


def markdown(table, peers):
    head = "| workload | " + " | ".join(peers) + " | Nabla / strongest peer |"
    lines = [head, "|---|" + "---:|" * (len(peers) + 1)]
    for row in table:
        cells = []
        latency = row["batch_size"] == 1
        for p in peers:
            c = row["cells"].get(p)
            if c is None:
                cells.append("-")
                continue
            if latency:
                text = "%.0f" % c["median_latency_us"]
                if c["rounds"] > 1:
                    text += " (%.0f-%.0f)" % (1e6 * row["batch_size"] / c["max_samples_per_second"],
                                              1e6 * row["batch_size"] / c["min_samples_per_second"])
            else:
                text = fmt(c["median_samples_per_second"])
                if c["rounds"] > 1:
                    text += " (%s-%s)" % (fmt(c["min_samples_per_second"]), fmt(c["max_samples_per_second"]))
            if "nabla_ratio" in c:
                text += ", %.2fx" % c["nabla_ratio"]
            if p == row["strongest_peer"]:
                text = "**" + text + "**"
            cells.append(text)
        s = row["strongest_peer"]
        cells.append("%.2f (%s)" % (row["cells"][s]["nabla_ratio"], s) if s else "-")
        lines.append("| %s | %s |" % (row["workload"], " | ".join(cells)))
    return "\n".join(lines) + "\n"


def write(out, doc):
    md_path = os.path.splitext(out)[0] + ".md"
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
    with open(md_path, "w") as f:
        f.write(doc["markdown"])
    print(doc["markdown"])
    print("parameters (all peers agree): %s; wrote %s and %s" % (doc["parameters"], out, md_path))


def rerender(out):
    with open(out) as f:
        doc = json.load(f)
    nabla = next(p for p in doc["peers"] if p.startswith("Nabla"))
    for row in doc["rows"]:
        rank(row, nabla)
    doc["markdown"] = markdown(doc["rows"], doc["peers"])
    write(out, doc)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", required=True, help="JSON file; the markdown table goes beside it (.md)")
    p.add_argument("--peer", action="append", default=[], metavar="NAME=JSON_ARGV",
                   help="a peer's command line as a JSON list; the one named nabla comes first in every round")
    p.add_argument("--note", default="", help="set-up text stored in the JSON")
    p.add_argument("--phases", default="train,infer", help="the phases measured (Nabla's other rows are dropped)")
    p.add_argument("--rerender", action="store_true", help="only rewrite --out's ratios and markdown from its medians")
    a = p.parse_args()
    if a.rerender:
        rerender(a.out)
        return
    peers = [(kv.split("=", 1)[0], json.loads(kv.split("=", 1)[1])) for kv in a.peer]
    peers.sort(key=lambda x: x[0] != "nabla")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    results, expected, skipped = {}, {}, {}
    for rnd in range(a.rounds):
        print("round %d of %d" % (rnd + 1, a.rounds), file=sys.stderr, flush=True)
        for name, cmd in peers:
            if name in skipped:
                continue
            try:
                recs = run(name, cmd, env if name != "nabla" else os.environ, a.phases.split(","))
            except RuntimeError as e:
                if name == "nabla":
                    raise SystemExit("compare-peers: %s" % e)
                print("compare-peers: skipping %s from now on: %s" % (name, e), file=sys.stderr)
                skipped[name] = str(e).splitlines()[0]
                continue
            if name == "nabla":
                expected = {r["model"]: r["parameters"] for r in recs}
            check_parameters(recs, expected)
            for r in recs:
                results.setdefault(r["peer"], {}).setdefault(
                    "%s/%s/%d" % (r["model"], r["phase"], r["batch_size"]), []).append(r)
    table = summarize(results)
    names = list(results)
    md = markdown(table, names)
    doc = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rounds": a.rounds, "note": a.note,
           "parameters": expected, "skipped": skipped, "peers": names, "rows": table,
           "ratio": "Nabla / peer in speed (samples/s; batch 1: peer latency / Nabla latency), above 1 Nabla is faster",
           "markdown": md}
    write(a.out, doc)


if __name__ == "__main__":
    main()
