#!/usr/bin/python3
"""The issue's reference cnn on Fashion-MNIST in PyTorch, for comparison with `nabla train --dataset fashion-mnist`.

Conv2D(32, 3x3, relu) -> MaxPool(2) -> Conv2D(64, 3x3, relu) -> MaxPool(2) -> Flatten -> Dropout(0.5) -> Dense(10);
Glorot-uniform weights and zero biases (Keras' defaults), Adam(1e-3, eps 1e-7), batch 128, 2 threads. Prints the
test accuracy after each epoch.

    /usr/bin/python3 scripts/pytorch-fashion-cnn.py [scale|std] [seed] [epochs]

scale: pixels / 255 (what Nabla does); std: standardized with the training set's mean and standard deviation.
Needs Debian's python3-torch and dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/).
"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist/"


def idx(name):
    path = DATA + name + (".gz" if os.path.exists(DATA + name + ".gz") else "")
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        b = f.read()
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(b[3])]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * b[3]).reshape(dims)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.fc = nn.Conv2d(1, 32, 3), nn.Conv2d(32, 64, 3), nn.Linear(1600, 10)
        for layer in (self.c1, self.c2, self.fc):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(F.dropout(torch.flatten(x, 1), 0.5, self.training))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "scale"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    xtr = idx("train-images-idx3-ubyte").astype(np.float32) / 255
    xte = idx("t10k-images-idx3-ubyte").astype(np.float32) / 255
    ytr, yte = idx("train-labels-idx1-ubyte"), idx("t10k-labels-idx1-ubyte")
    if mode == "std":
        mean, std = xtr.mean(), xtr.std()
        xtr, xte = (xtr - mean) / std, (xte - mean) / std
    net = Cnn()
    opt = torch.optim.Adam(net.parameters(), 1e-3, eps=1e-7)
    x, y = torch.from_numpy(xtr).unsqueeze(1), torch.from_numpy(ytr.astype(np.int64))
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            batch = perm[i:i + 128]
            opt.zero_grad()
            F.cross_entropy(net(x[batch]), y[batch]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            acc = (net(torch.from_numpy(xte).unsqueeze(1)).argmax(1).numpy() == yte).mean()
        print(f"{mode} seed {seed} epoch {epoch + 1}: test accuracy {acc:.4f}", flush=True)


if __name__ == "__main__":
    main()
