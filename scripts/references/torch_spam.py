"""PyTorch 2.13 twin of scripts/references/keras_spam.py: the same SpamAssassin split, vectorization and models
(nabla-nn TextModels), trained the same way (Adam 1e-3, cross-entropy from logits, batch 32, shuffled), printing the
training throughput per epoch and the test accuracy. The LSTM skips the padding as Keras' mask does (packed
sequences: both directions see only a message's tokens); the Transformer masks it too (key_padding_mask: no step
attends to padding, and the pooling averages the real tokens only), as its Keras and Nabla twins do. Initializers follow Keras (uniform(-0.05, 0.05) embeddings, Glorot-uniform kernels, zero biases).

  ~/.cache/nabla-peers/venv/bin/python scripts/references/torch_spam.py lstm|transformer [epochs]
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_spam import LENGTH, corpus, encode, vocabulary  # noqa: E402


def glorot(module):
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


class Lstm(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 64)
        self.lstm = nn.LSTM(64, 32, batch_first=True, bidirectional=True)
        self.out = nn.Linear(64, 2)

    def forward(self, ids):
        lengths = (ids != 0).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True,
                                                   enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.out(torch.cat([h[0], h[1]], dim=1))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = nn.MultiheadAttention(64, 2, batch_first=True)
        self.norm1 = nn.LayerNorm(64, eps=1e-3)
        self.ff = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64))
        self.norm2 = nn.LayerNorm(64, eps=1e-3)

    def forward(self, x, padding):
        # padding: True at padded steps, which no step attends to (Keras' value mask from mask_zero)
        h = self.norm1(x + self.attention(x, x, x, key_padding_mask=padding, need_weights=False)[0])
        return self.norm2(h + self.ff(h))


class Transformer(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 64)
        self.position = nn.Parameter(torch.empty(LENGTH, 64).uniform_(-0.05, 0.05))
        self.blocks = nn.ModuleList([Block(), Block()])
        self.out = nn.Linear(64, 2)

    def forward(self, ids):
        padding = ids == 0
        x = self.embedding(ids) + self.position
        for block in self.blocks:
            x = block(x, padding)
        real = (~padding).unsqueeze(-1).to(x.dtype)
        return self.out((x * real).sum(1) / real.sum(1).clamp(min=1))   # the mean over real tokens


def main():
    kind = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    torch.manual_seed(42)
    (train_texts, train_labels), (test_texts, test_labels) = corpus()
    vocab = vocabulary(train_texts)
    x, y = torch.from_numpy(encode(train_texts, vocab)).long(), torch.tensor(train_labels)
    xt, yt = torch.from_numpy(encode(test_texts, vocab)).long(), torch.tensor(test_labels)
    model = (Lstm if kind == "lstm" else Transformer)(len(vocab))
    glorot(model)
    nn.init.uniform_(model.embedding.weight, -0.05, 0.05)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(42)
    for epoch in range(epochs):
        model.train()
        t0 = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(x)))
        total = 0.0
        for i in range(0, len(x), 32):
            idx = order[i:i + 32]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        secs = time.perf_counter() - t0
        print(f"epoch {epoch + 1}: {secs:.1f} s, {len(x) / secs:.0f} train samples/s, loss {total / len(x):.4f}",
              flush=True)
    model.eval()
    with torch.no_grad():
        correct = sum((model(xt[i:i + 256]).argmax(1) == yt[i:i + 256]).sum().item() for i in range(0, len(xt), 256))
    print(json.dumps({"model": kind, "epochs": epochs, "test_accuracy": correct / len(xt), "train": len(x),
                      "test": len(xt), "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
