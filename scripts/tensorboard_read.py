#!/usr/bin/env python3
"""Reads a TensorBoard log folder with TensorBoard's own EventAccumulator and prints what it found as JSON.

Usage: tensorboard_read.py LOGDIR

Each folder under LOGDIR (LOGDIR included) holding event files is one run, keyed by its path relative to LOGDIR
("." for LOGDIR itself). For each run: scalars {tag: [[step, value], ...]}, histograms {tag: [{step, min, max, num,
sum, sum_squares, bucket_limit, bucket}]}, images {tag: [{step, width, height, png_bytes, decoded}]}, text {tag: [[step,
text]]} (tensors of the text plugin), hparams {name: value} (the hparams plugin's session start) and graph (whether a
GraphDef was read, with its node count). Used by Nabla's TensorBoardReadsOurFilesTest.
"""
import io
import json
import os
import sys

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.util import tensor_util


def read_run(path):
    acc = event_accumulator.EventAccumulator(path, size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0, event_accumulator.IMAGES: 0,
        event_accumulator.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    run = {"scalars": {}, "histograms": {}, "images": {}, "text": {}, "hparams": {}, "graph": None}
    for tag in tags["scalars"]:
        run["scalars"][tag] = [[e.step, e.value] for e in acc.Scalars(tag)]
    for tag in tags["histograms"]:
        run["histograms"][tag] = [{
            "step": e.step, "min": e.histogram_value.min, "max": e.histogram_value.max,
            "num": e.histogram_value.num, "sum": e.histogram_value.sum,
            "sum_squares": e.histogram_value.sum_squares,
            "bucket_limit": list(e.histogram_value.bucket_limit), "bucket": list(e.histogram_value.bucket),
        } for e in acc.Histograms(tag)]
    for tag in tags["images"]:
        run["images"][tag] = [{"step": e.step, "width": e.width, "height": e.height,
                               "png_bytes": len(e.encoded_image_string),
                               "decoded": decode_png(e.encoded_image_string)} for e in acc.Images(tag)]
    for tag in plugin_tags(acc, "text"):
        run["text"][tag] = [[e.step, tensor_util.make_ndarray(e.tensor_proto).item().decode("utf-8")]
                            for e in acc.Tensors(tag)]
    for tag, content in plugin_tags(acc, "hparams").items():
        data = plugin_data_pb2.HParamsPluginData.FromString(content)
        for name, value in data.session_start_info.hparams.items():
            kind = value.WhichOneof("kind")
            run["hparams"][name] = getattr(value, kind)
    if tags["graph"]:
        run["graph"] = {"nodes": len(acc.Graph().node)}
    return run


def plugin_tags(acc, plugin):
    """{tag: plugin content} of one plugin's summaries in the run ({} when it has none)."""
    try:
        return acc.PluginTagToContent(plugin)
    except KeyError:
        return {}


def decode_png(data):
    """[width, height, mode, first pixel] as Pillow (which TensorBoard installs) decodes the PNG, or None."""
    try:
        from PIL import Image
    except ImportError:
        return None
    image = Image.open(io.BytesIO(data))
    image.load()
    return [image.width, image.height, image.mode, image.getpixel((0, 0))]


def main():
    logdir = sys.argv[1]
    runs = {}
    for folder, _, files in sorted(os.walk(logdir)):
        if any("tfevents" in f for f in files):
            runs[os.path.relpath(folder, logdir)] = read_run(folder)
    json.dump(runs, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
