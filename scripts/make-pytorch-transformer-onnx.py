"""Writes nabla-onnx's PyTorch-exported transformer encoder (issue 14: "models exported by PyTorch 2.13's exporters,
both the TorchScript one and the dynamo one, which writes initializers to external data files"): a small BERT-like
encoder built from torch.nn modules (token and position embeddings, LayerNorm, nn.MultiheadAttention with a padding
mask, a GELU feed-forward block, post-norm residuals, a pooled tanh head), random weights, exported twice:

- transformer_ts.onnx: torch.onnx.export(dynamo=False), the TorchScript exporter, opset 17, dynamic batch;
- transformer_dynamo.onnx + transformer_dynamo.onnx.data: torch.onnx.export(dynamo=True) (torch.export + onnxscript),
  opset 18, its initializers saved to the external data file beside the model.

The int64 token ids, the bool padding mask and PyTorch's two outputs (the hidden states and the pooled vector) are
written as .npy files in nabla-onnx/src/test/resources/pytorch/.

  ~/.cache/nabla-peers/venv/bin/python scripts/make-pytorch-transformer-onnx.py
"""
import os

import numpy as np
import onnx
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nabla-onnx", "src", "test", "resources",
                   "pytorch")
VOCAB, LENGTH, WIDTH, HEADS, FF, LAYERS = 40, 6, 16, 2, 32, 2


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = nn.MultiheadAttention(WIDTH, HEADS, batch_first=True)
        self.norm1 = nn.LayerNorm(WIDTH)
        self.ff = nn.Sequential(nn.Linear(WIDTH, FF), nn.GELU(), nn.Linear(FF, WIDTH))
        self.norm2 = nn.LayerNorm(WIDTH)

    def forward(self, x, padding):
        attended, _ = self.attention(x, x, x, key_padding_mask=padding, need_weights=False)
        x = self.norm1(x + attended)
        return self.norm2(x + self.ff(x))


class TinyBert(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Embedding(LENGTH, WIDTH)
        self.norm = nn.LayerNorm(WIDTH)
        self.layers = nn.ModuleList(EncoderLayer() for _ in range(LAYERS))
        self.pool = nn.Linear(WIDTH, WIDTH)

    def forward(self, ids, padding):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.norm(self.tokens(ids) + self.positions(positions))
        for layer in self.layers:
            x = layer(x, padding)
        return x, torch.tanh(self.pool(x[:, 0]))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyBert().eval()
    ids = torch.randint(0, VOCAB, (3, LENGTH))
    padding = torch.zeros(3, LENGTH, dtype=torch.bool)
    padding[1, 4:] = True  # the second example has 4 tokens, the third 5
    padding[2, 5:] = True
    names = dict(input_names=["ids", "padding"], output_names=["hidden", "pooled"])
    torch.onnx.export(model, (ids, padding), os.path.join(OUT, "transformer_ts.onnx"), opset_version=17,
                      dynamic_axes={"ids": {0: "batch"}, "padding": {0: "batch"}, "hidden": {0: "batch"},
                                    "pooled": {0: "batch"}}, dynamo=False, **names)
    program = torch.onnx.export(model, (ids, padding), dynamo=True, opset_version=18, **names)
    path = os.path.join(OUT, "transformer_dynamo.onnx")
    program.save(path, external_data=True)
    on_disk = onnx.load(path, load_external_data=False)
    external = sum(1 for t in on_disk.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL)
    np.save(os.path.join(OUT, "transformer_ids.npy"), ids.numpy())
    np.save(os.path.join(OUT, "transformer_padding.npy"), padding.numpy())
    with torch.no_grad():
        hidden, pooled = model(ids, padding)
    np.save(os.path.join(OUT, "transformer_hidden.npy"), hidden.numpy())
    np.save(os.path.join(OUT, "transformer_pooled.npy"), pooled.numpy())
    print("wrote transformer_ts.onnx and transformer_dynamo.onnx (" + str(external) + " external initializers), torch",
          torch.__version__)
