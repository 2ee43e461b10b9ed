"""PyTorch 2.13 twin of scripts/references/keras_names_gender.py: the same first-name split and letter ids, the same
model (Embedding(28, 16) with padding skipped -> GRU(32) -> Linear(2)), Adam(0.01), cross-entropy, batch 64, shuffled;
prints each epoch's time and throughput and, last, a JSON line with the test accuracy (scripts/compare-text.sh
--models names). Padding is skipped as Keras' mask does (packed sequences: the GRU's last state is the name's last
letter). Initializers follow Keras (uniform(-0.05, 0.05) embeddings, Glorot-uniform input kernels, orthogonal
recurrent kernels, zero biases); PyTorch's GRU is Keras' reset_after=True variant.

  ~/.cache/nabla-peers/venv/bin/python scripts/references/torch_names.py [epochs]
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_names_gender import MAX_LEN, VOCAB, encode, split  # noqa: E402


class Names(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 16)
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.out = nn.Linear(32, 2)
        nn.init.uniform_(self.embedding.weight, -0.05, 0.05)
        for name, w in self.gru.named_parameters():
            if name.startswith("weight_ih"):
                for g in w.chunk(3, 0):
                    nn.init.xavier_uniform_(g)
            elif name.startswith("weight_hh"):
                for g in w.chunk(3, 0):
                    nn.init.orthogonal_(g)
            else:
                nn.init.zeros_(w)
        nn.init.xavier_uniform_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, ids):
        lengths = (ids != 0).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True,
                                                   enforce_sorted=False)
        _, h = self.gru(packed)
        return self.out(h[0])


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    torch.manual_seed(1)
    (trn, trl), (ten, tel) = split()
    x, y = torch.from_numpy(encode(trn)).long(), torch.tensor(trl)
    xt, yt = torch.from_numpy(encode(ten)).long(), torch.tensor(tel)
    model = Names()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(1)
    for epoch in range(epochs):
        model.train()
        t0 = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(x)))
        total = 0.0
        for i in range(0, len(x), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        secs = time.perf_counter() - t0
        print(f"epoch {epoch + 1}: {secs:.2f} s, {len(x) / secs:.0f} train samples/s, loss {total / len(x):.4f}",
              flush=True)
    model.eval()
    with torch.no_grad():
        correct = sum((model(xt[i:i + 256]).argmax(1) == yt[i:i + 256]).sum().item() for i in range(0, len(xt), 256))
    print(json.dumps({"model": "names", "epochs": epochs, "test_accuracy": correct / len(xt), "train": len(x),
                      "test": len(xt), "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "max_len": MAX_LEN}))


if __name__ == "__main__":
    main()
