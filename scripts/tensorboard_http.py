#!/usr/bin/env python3
"""Starts TensorBoard on a log folder, asks its HTTP API what a user's browser would ask, and prints that as JSON.

Usage: tensorboard_http.py LOGDIR

Prints {"runs": [...], "plugins": [active plugin names], "scalars": {run: {tag: [[step, value], ...]}},
"histograms": {run: [tags]}, "images": {run: [tags]}, "text": {run: [tags]}, "graphs": [runs with a graph],
"graph_nodes": {run: node count of the graph TensorBoard serves as text}, "hparams": [{"name": session, "hparams":
{...}, "metrics": [[group, tag], ...]}]}. Used by Nabla's TensorBoardServesOurFilesTest.
"""
import json
import sys
import time
import urllib.parse
import urllib.request

from tensorboard import program


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return r.read().decode("utf-8")


def post(base, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read().decode("utf-8"))


def main():
    tb = program.TensorBoard()
    # --load_fast=false: the pure-Python reader (no Rust data server), the same everywhere
    tb.configure(argv=[None, "--logdir", sys.argv[1], "--port", "0", "--host", "127.0.0.1", "--load_fast", "false",
                       "--reload_interval", "1"])
    base = tb.launch().rstrip("/")
    deadline = time.time() + 60
    while True:  # the first load of the log folder happens in the background
        runs = json.loads(get(base, "/data/runs"))
        if runs or time.time() > deadline:
            break
        time.sleep(0.5)
    time.sleep(2)  # let the first reload finish every run
    out = {"runs": json.loads(get(base, "/data/runs"))}
    listing = json.loads(get(base, "/data/plugins_listing"))
    out["plugins"] = sorted(name for name, info in listing.items() if info.get("enabled"))
    scalar_tags = json.loads(get(base, "/data/plugin/scalars/tags"))
    out["scalars"] = {}
    for run, tags in scalar_tags.items():
        out["scalars"][run] = {}
        for tag in tags:
            q = urllib.parse.urlencode({"run": run, "tag": tag})
            points = json.loads(get(base, "/data/plugin/scalars/scalars?" + q))
            out["scalars"][run][tag] = [[step, value] for _, step, value in points]
    for plugin in ("histograms", "images", "text"):
        tags = json.loads(get(base, "/data/plugin/%s/tags" % plugin))
        out[plugin] = {run: sorted(t) for run, t in tags.items()}
    graphs = json.loads(get(base, "/data/plugin/graphs/info"))
    out["graphs"] = sorted(run for run, info in graphs.items() if info.get("run_graph"))
    out["graph_nodes"] = {}
    for run in out["graphs"]:
        pbtxt = get(base, "/data/plugin/graphs/graph?" + urllib.parse.urlencode({"run": run, "conceptual": "false"}))
        out["graph_nodes"][run] = sum(1 for line in pbtxt.splitlines() if line == "node {")
    groups = post(base, "/data/plugin/hparams/session_groups", {
        "experimentName": "", "startIndex": 0, "sliceSize": 100, "colParams": [],
        "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]})
    out["hparams"] = [{"name": g["name"], "hparams": g["hparams"],
                       "metrics": sorted([m["name"]["group"], m["name"]["tag"]] for m in g.get("metricValues", []))}
                      for g in groups.get("sessionGroups", [])]
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
