#!/usr/bin/env python3
"""Writes the reference values of nabla-nn's ConvFamilyKerasTest: Keras 3's Conv2D (dilation, groups),
Conv2DTranspose, Conv1DTranspose, DepthwiseConv2D, SeparableConv2D, Conv3D and the 3-D pooling layers (JAX backend,
float32) with set weights; the output and the gradients of sum(loss_weights * output) w.r.t. the input and every
weight.

  KERAS_BACKEND=jax python scripts/references/keras_conv_family_reference.py \
      > nabla-nn/src/test/resources/keras/conv_family.json
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax
import jax.numpy as jnp
import keras
import numpy as np

rng = np.random.default_rng(71)
K = keras.layers


def conv2d(c):
    return K.Conv2D(c["filters"], c["size"], strides=c.get("strides", 1), padding=c["padding"],
                    dilation_rate=c.get("dilation", 1), groups=c.get("groups", 1))


def conv2d_t(c):
    return K.Conv2DTranspose(c["filters"], c["size"], strides=c.get("strides", 1), padding=c["padding"],
                             output_padding=c.get("output_padding"), dilation_rate=c.get("dilation", 1))


def conv1d_t(c):
    return K.Conv1DTranspose(c["filters"], c["size"], strides=c.get("strides", 1), padding=c["padding"],
                             output_padding=c.get("output_padding"), dilation_rate=c.get("dilation", 1))


def depthwise(c):
    return K.DepthwiseConv2D(c["size"], strides=c.get("strides", 1), padding=c["padding"],
                             depth_multiplier=c.get("multiplier", 1), dilation_rate=c.get("dilation", 1))


def separable(c):
    return K.SeparableConv2D(c["filters"], c["size"], strides=c.get("strides", 1), padding=c["padding"],
                             depth_multiplier=c.get("multiplier", 1), dilation_rate=c.get("dilation", 1))


def conv3d(c):
    return K.Conv3D(c["filters"], c["size"], strides=c.get("strides", 1), padding=c["padding"],
                    dilation_rate=c.get("dilation", 1), groups=c.get("groups", 1))


def pool3d(cls):
    return lambda c: cls(c["pool"], strides=c["strides"], padding=c["padding"])


CASES = [
    ("Conv2D", conv2d, {"filters": 4, "size": [3, 3], "padding": "same", "dilation": [2, 2]}, (2, 7, 6, 3)),
    ("Conv2D", conv2d, {"filters": 4, "size": [3, 2], "padding": "valid", "strides": [2, 1], "groups": 2},
     (2, 7, 6, 4)),
    ("Conv2D", conv2d, {"filters": 6, "size": [2, 3], "padding": "same", "dilation": [2, 1], "groups": 3},
     (1, 6, 5, 3)),
    ("Conv2DTranspose", conv2d_t, {"filters": 3, "size": [3, 3], "padding": "valid"}, (2, 4, 5, 2)),
    ("Conv2DTranspose", conv2d_t, {"filters": 2, "size": [3, 3], "padding": "same", "strides": [2, 2]},
     (2, 4, 3, 3)),
    ("Conv2DTranspose", conv2d_t, {"filters": 2, "size": [2, 2], "padding": "valid", "strides": [3, 2]},
     (1, 3, 4, 2)),
    ("Conv2DTranspose", conv2d_t, {"filters": 3, "size": [3, 3], "padding": "same", "strides": [2, 2],
                                   "output_padding": [1, 0]}, (2, 3, 4, 2)),
    ("Conv2DTranspose", conv2d_t, {"filters": 2, "size": [3, 2], "padding": "valid", "strides": [2, 3],
                                   "output_padding": [1, 2]}, (1, 3, 3, 2)),
    ("Conv2DTranspose", conv2d_t, {"filters": 2, "size": [3, 3], "padding": "same", "dilation": [2, 2]},
     (1, 5, 5, 2)),
    ("Conv2DTranspose", conv2d_t, {"filters": 2, "size": [4, 4], "padding": "same", "strides": [2, 2]},
     (1, 3, 3, 2)),
    ("Conv1DTranspose", conv1d_t, {"filters": 3, "size": 3, "padding": "valid", "strides": 2}, (2, 5, 2)),
    ("Conv1DTranspose", conv1d_t, {"filters": 2, "size": 4, "padding": "same", "strides": 2}, (2, 6, 3)),
    ("Conv1DTranspose", conv1d_t, {"filters": 2, "size": 3, "padding": "same", "strides": 3,
                                   "output_padding": 2}, (1, 4, 2)),
    ("DepthwiseConv2D", depthwise, {"size": [3, 3], "padding": "valid"}, (2, 6, 5, 3)),
    ("DepthwiseConv2D", depthwise, {"size": [3, 3], "padding": "same", "strides": [2, 2], "multiplier": 2},
     (2, 7, 6, 3)),
    ("DepthwiseConv2D", depthwise, {"size": [2, 3], "padding": "same", "dilation": [2, 2]}, (1, 6, 6, 4)),
    ("SeparableConv2D", separable, {"filters": 4, "size": [3, 3], "padding": "same", "multiplier": 2},
     (2, 5, 6, 3)),
    ("SeparableConv2D", separable, {"filters": 3, "size": [3, 3], "padding": "valid", "strides": [2, 2]},
     (2, 7, 7, 2)),
    ("Conv3D", conv3d, {"filters": 3, "size": [3, 3, 3], "padding": "valid"}, (2, 5, 4, 5, 2)),
    ("Conv3D", conv3d, {"filters": 2, "size": [2, 3, 3], "padding": "same", "strides": [2, 1, 2]},
     (2, 5, 4, 5, 3)),
    ("Conv3D", conv3d, {"filters": 4, "size": [3, 2, 2], "padding": "valid", "groups": 2}, (1, 4, 4, 3, 4)),
    ("Conv3D", conv3d, {"filters": 2, "size": [2, 2, 2], "padding": "same", "dilation": [2, 1, 2]},
     (1, 5, 4, 5, 2)),
    ("MaxPooling3D", pool3d(K.MaxPooling3D), {"pool": [2, 2, 2], "strides": [2, 2, 2], "padding": "valid"},
     (2, 4, 5, 4, 2)),
    ("MaxPooling3D", pool3d(K.MaxPooling3D), {"pool": [3, 2, 2], "strides": [2, 1, 2], "padding": "same"},
     (1, 5, 4, 5, 2)),
    ("AveragePooling3D", pool3d(K.AveragePooling3D), {"pool": [2, 2, 2], "strides": [2, 2, 2], "padding": "valid"},
     (2, 4, 5, 4, 2)),
    ("AveragePooling3D", pool3d(K.AveragePooling3D), {"pool": [3, 2, 2], "strides": [2, 1, 2], "padding": "same"},
     (1, 5, 4, 5, 2)),
]

out = []
for name, make, config, shape in CASES:
    layer = make(config)
    x = rng.normal(size=shape).astype(np.float32)
    layer(x)
    weights = [rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in layer.get_weights()]
    if weights:
        layer.set_weights(weights)
    y = layer(x)
    w = rng.uniform(0.5, 1.5, y.shape).astype(np.float32)

    def loss(params, xv):
        r, _ = layer.stateless_call(params, [], xv)
        return jnp.sum(r * w)

    gp, gx = jax.grad(loss, argnums=(0, 1))([jnp.asarray(p) for p in weights], jnp.asarray(x))
    out.append({"name": name, "config": config, "x": {"shape": list(shape), "data": x.reshape(-1).tolist()},
                "weights": [{"shape": list(wt.shape), "data": wt.reshape(-1).tolist()} for wt in weights],
                "out": {"shape": list(y.shape), "data": np.asarray(y).reshape(-1).tolist()},
                "loss_weights": w.reshape(-1).tolist(), "grad_x": np.asarray(gx).reshape(-1).tolist(),
                "grad_weights": [np.asarray(g).reshape(-1).tolist() for g in gp]})
print(json.dumps({"keras": keras.__version__, "cases": out}, indent=1))
