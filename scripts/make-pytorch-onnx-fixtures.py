#!/usr/bin/python3
"""Writes the PyTorch-exported ONNX test models of nabla-onnx (src/test/resources/pytorch/).

Each model is exported with torch.onnx.export (opset 17, dynamic batch), with an input batch and PyTorch's outputs as
.npy files. OnnxPyTorchModelsTest imports the models and compares Nabla's outputs with PyTorch's. Run with Debian's
python3-torch: /usr/bin/python3 scripts/make-pytorch-onnx-fixtures.py
"""
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "nabla-onnx", "src", "test", "resources", "pytorch")


class SmallCnn(nn.Module):
    """Conv, batch norm, pooling, a residual add, flatten by view(x.size(0), -1), linear, log-softmax."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.c2 = nn.Conv2d(4, 4, 3, padding=1)
        self.c3 = nn.Conv2d(4, 6, 3, stride=2)
        self.fc = nn.Linear(6 * 2 * 2, 5)

    def forward(self, x):
        x = F.relu(self.bn(self.c1(x)))
        x = x + torch.sigmoid(self.c2(x))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.c3(x))
        x = F.avg_pool2d(x, 1)
        x = x.view(x.size(0), -1)
        return F.log_softmax(self.fc(x), dim=1)


class TinyAttention(nn.Module):
    """Self-attention over a sequence: linear projections, matmul, scaled softmax, layer norm, GELU."""

    def __init__(self, d=8):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Linear(d, d)
        self.d = d

    def forward(self, x):
        att = torch.softmax(self.q(x) @ self.k(x).transpose(1, 2) / self.d ** 0.5, dim=-1)
        h = self.norm(x + att @ self.v(x))
        return h + F.gelu(self.ff(h)).mean(dim=-1, keepdim=True)


class MobileUNet(nn.Module):
    """Depthwise-separable convs, hardswish, a strided down path, ConvTranspose and nearest upsampling back up,
    a skip concat, global average pooling and a linear head: the operators of mobile and segmentation nets."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.bn = nn.BatchNorm2d(16)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.fuse = nn.Conv2d(16, 8, 3, padding=1)
        self.head = nn.Linear(8 + 16, 4)

    def forward(self, x):
        s = F.hardswish(self.stem(x))
        d = F.relu6(self.bn(self.pw(self.dw(s))))
        u = self.up(d) + F.interpolate(d[:, :8], scale_factor=2, mode="nearest")
        f = F.leaky_relu(self.fuse(torch.cat([u, s], dim=1)), 0.1)
        pooled = torch.cat([f.mean(dim=(2, 3)), F.adaptive_avg_pool2d(d, 1).flatten(1)], dim=1)
        return torch.softmax(self.head(pooled), dim=1)


def export(name, model, x):
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # non-trivial running statistics
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    torch.onnx.export(model, x, os.path.join(OUT, name + ".onnx"), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=17)
    np.save(os.path.join(OUT, name + "_x.npy"), x.numpy())
    with torch.no_grad():
        np.save(os.path.join(OUT, name + "_y.npy"), model(x).numpy())


if __name__ == "__main__":
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    export("small_cnn", SmallCnn(), torch.randn(3, 1, 12, 12))
    export("tiny_attention", TinyAttention(), torch.randn(2, 5, 8))
    export("mobile_unet", MobileUNet(), torch.randn(2, 3, 8, 8))
    print("wrote", sorted(os.listdir(OUT)))
