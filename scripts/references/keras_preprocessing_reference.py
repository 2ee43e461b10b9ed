#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's PreprocessingKerasTest: Keras 3's geometric augmentation layers (JAX
backend, float32) called in training with degenerate factor ranges (lower == upper), so that their output is
deterministic (and nearest sampling never lands on a half pixel, where float32 rounding would decide): RandomRotation, RandomZoom and RandomTranslation over every fill mode and both interpolations;
RandomContrast and RandomBrightness; Normalization adapted to data (and inverted); RandomCrop's inference path as tf.keras defined it (the centred window
of the target's aspect ratio, resized bilinearly without antialiasing), which Keras 3 no longer applies.

  KERAS_BACKEND=jax python scripts/references/keras_preprocessing_reference.py \
      > nabla-nn/src/test/resources/keras/preprocessing.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

rng = np.random.default_rng(81)
K = keras.layers
cases = []


def add(name, config, layer, shape, training=True):
    x = rng.normal(size=shape).astype(np.float32)
    y = layer(x, training=training)
    cases.append({"name": name, "config": config, "x": {"shape": list(shape), "data": x.reshape(-1).tolist()},
                  "out": {"shape": list(y.shape), "data": np.asarray(y).reshape(-1).tolist()}})


for fill in ("reflect", "constant", "nearest", "wrap"):
    for interp in ("bilinear", "nearest"):
        add("RandomRotation", {"lower": 0.25, "upper": 0.25, "fill": fill, "interpolation": interp, "value": 0.5},
            K.RandomRotation((0.25, 0.25), fill_mode=fill, interpolation=interp, fill_value=0.5), (2, 7, 5, 2))
    add("RandomRotation", {"lower": -0.07, "upper": -0.07, "fill": fill, "interpolation": "bilinear", "value": -1.0},
        K.RandomRotation((-0.07, -0.07), fill_mode=fill, fill_value=-1.0), (1, 8, 9, 3))
    add("RandomZoom", {"height": [0.3, 0.3], "width": [-0.2, -0.2], "fill": fill, "interpolation": "bilinear",
                       "value": 0.0},
        K.RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode=fill), (2, 6, 7, 1))
    add("RandomTranslation", {"height": [0.2, 0.2], "width": [-0.3, -0.3], "fill": fill,
                              "interpolation": "bilinear", "value": 0.25},
        K.RandomTranslation((0.2, 0.2), (-0.3, -0.3), fill_mode=fill, fill_value=0.25), (2, 6, 5, 2))
add("RandomZoom", {"height": [-0.25, -0.25], "fill": "constant", "interpolation": "nearest", "value": 0.0},
    K.RandomZoom((-0.25, -0.25), fill_mode="constant", interpolation="nearest"), (1, 9, 8, 2))
add("RandomTranslation", {"height": [-0.25, -0.25], "width": [0.1, 0.1], "fill": "reflect",
                          "interpolation": "nearest", "value": 0.0},
    K.RandomTranslation((-0.25, -0.25), (0.1, 0.1), interpolation="nearest"), (2, 8, 10, 1))
add("RandomContrast", {"factor": [-0.3, 0.3], "range": [-2.0, 2.0]},
    K.RandomContrast((-0.3, 0.3), value_range=(-2.0, 2.0)), (2, 5, 4, 3))
add("RandomContrast", {"factor": [-0.5, 0.5], "range": [0.0, 255.0]},
    K.RandomContrast((-0.5, 0.5)), (1, 4, 6, 2))
add("RandomBrightness", {"factor": [0.2, 0.2], "range": [-2.0, 2.0]},
    K.RandomBrightness((0.2, 0.2), value_range=(-2.0, 2.0)), (2, 5, 4, 3))
add("RandomBrightness", {"factor": [-0.1, -0.1], "range": [0.0, 1.0]},
    K.RandomBrightness((-0.1, -0.1), value_range=(0.0, 1.0)), (1, 4, 4, 1))

for axis, shape in ((-1, (6, 4, 5, 3)), ((1, 3), (5, 3, 2, 4)), (None, (7, 3))):
    data = (rng.normal(size=shape) * 3 + 2).astype(np.float32)
    layer = K.Normalization(axis=axis)
    layer.adapt(data)
    x = (rng.normal(size=(2,) + shape[1:]) * 3 + 2).astype(np.float32)
    inverse = K.Normalization(axis=axis, mean=np.squeeze(layer.mean), variance=np.squeeze(layer.variance),
                              invert=True)
    cases.append({"name": "Normalization", "config": {"axis": axis if axis is None or isinstance(axis, int)
                                                      else list(axis)},
                  "data": {"shape": list(shape), "data": data.reshape(-1).tolist()},
                  "x": {"shape": list(x.shape), "data": x.reshape(-1).tolist()},
                  "mean": np.asarray(layer.mean).reshape(-1).tolist(),
                  "variance": np.asarray(layer.variance).reshape(-1).tolist(),
                  "out": {"shape": list(x.shape), "data": np.asarray(layer(x)).reshape(-1).tolist()},
                  "inverted": np.asarray(inverse(x)).reshape(-1).tolist()})

for (h, w), shape in (((4, 4), (2, 8, 6, 1)), ((3, 5), (1, 6, 8, 2)), ((9, 7), (1, 5, 4, 2))):
    x = rng.normal(size=shape).astype(np.float32)
    ih, iw = shape[1], shape[2]
    ch = max(min(ih, int(iw * h / w)), 1)
    cw = max(min(iw, int(ih * w / h)), 1)
    top, left = (ih - ch) // 2, (iw - cw) // 2
    y = keras.ops.image.resize(x[:, top:top + ch, left:left + cw, :], (h, w), interpolation="bilinear",
                               antialias=False)
    cases.append({"name": "RandomCropInference", "config": {"height": h, "width": w},
                  "x": {"shape": list(shape), "data": x.reshape(-1).tolist()},
                  "out": {"shape": list(y.shape), "data": np.asarray(y).reshape(-1).tolist()}})
print(json.dumps({"keras": keras.__version__, "cases": cases}, indent=1))
