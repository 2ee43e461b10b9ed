"""Writes nabla-onnx's PyTorch-exported LSTM classifier (issue 15: "a PyTorch-exported LSTM classifier imports and
matches PyTorch"): Embedding(50, 8) -> LSTM(8, 6) -> Linear(6, 3) on the last hidden state, exported by
torch.onnx.export's TorchScript exporter (opset 17, dynamic batch; ONNX's LSTM operator), with int64 token ids and
PyTorch's logits as .npy files in nabla-onnx/src/test/resources/pytorch/.

  ~/.cache/nabla-peers/venv/bin/python scripts/make-pytorch-lstm-onnx.py
"""
import os

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nabla-onnx", "src", "test", "resources",
                   "pytorch")


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(50, 8)
        self.lstm = nn.LSTM(8, 6, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, ids):
        _, (h, _) = self.lstm(self.embedding(ids))
        return self.head(h[-1])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LstmClassifier().eval()
    ids = torch.randint(0, 50, (4, 7))
    torch.onnx.export(model, (ids,), os.path.join(OUT, "lstm_classifier.onnx"), input_names=["ids"],
                      output_names=["logits"], dynamic_axes={"ids": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    np.save(os.path.join(OUT, "lstm_classifier_x.npy"), ids.numpy())
    with torch.no_grad():
        np.save(os.path.join(OUT, "lstm_classifier_y.npy"), model(ids).numpy())
    print("wrote lstm_classifier.onnx, torch", torch.__version__)
