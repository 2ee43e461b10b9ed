"""PyTorch 2.13 twin of scripts/references/keras_fashion.py: the same Fashion-MNIST data (pixels / 255), the same
reference models (NCHW here), Glorot-uniform weights and zero biases (Keras' defaults), Adam(1e-3, eps 1e-7),
cross-entropy, batch 32 (mlp) or 128 (cnn), shuffled, validation on the test split after every epoch, 2 threads.
An epoch's time covers its training batches only (as nabla train counts it). Prints each epoch's time and throughput
and, last, a JSON line with the test accuracy (scripts/compare-fit.sh).
  ~/.cache/nabla-peers/venv/bin/python scripts/references/torch_fashion.py mlp|cnn [epochs]
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_fashion import BATCH, EPOCHS, data  # noqa: E402


def make(name):
    if name == "mlp":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    else:
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    for m in model:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    if name not in BATCH:
        sys.exit(f"torch_fashion.py: model must be mlp or cnn, got '{name}'")
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else EPOCHS[name]
    torch.set_num_threads(2)
    torch.manual_seed(42)
    (x, y), (xt, yt) = data()
    x, y = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(y)
    xt, yt = torch.from_numpy(xt).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(yt)
    model = make(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(42)
    batch = BATCH[name]

    def accuracy():
        model.eval()
        with torch.no_grad():
            correct = sum((model(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item()
                          for i in range(0, len(xt), 1000))
        return correct / len(xt)

    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(x)))
        total = 0.0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        secs = time.perf_counter() - start
        print(f"epoch {epoch + 1}: {secs:.2f} s, {len(x) / secs:.0f} train samples/s, loss {total / len(x):.4f}, "
              f"val_accuracy {accuracy():.4f}", flush=True)
    print(f"fit {time.time() - t0:.1f} s")
    print(json.dumps({"model": name, "epochs": epochs, "test_accuracy": accuracy(), "train": len(x), "test": len(xt),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
