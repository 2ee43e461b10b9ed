"""Hugging Face `transformers` architectures exported to ONNX by PyTorch 2.13, for nabla-onnx's OnnxHuggingFaceTest.

Issue 14 asks for real models, not single operators: a transformer (BERT), a convolutional network (ResNet) and a
mobile network (MobileNetV2), each in a small configuration with random weights (seeded), exported by both of
PyTorch's exporters: the TorchScript one (`dynamo=False`, opset 17) and the dynamo one (`dynamo=True`, whose
initializers go to an external data file beside the model). Writes into nabla-onnx/src/test/resources/huggingface/
the .onnx files (+ .onnx.data), the inputs and PyTorch's outputs as .npy files. Needs transformers, torch, onnx,
onnxscript (pip installs them from the machine's local wheels into ~/.cache/nabla-peers/venv).

Run: ~/.cache/nabla-peers/venv/bin/python scripts/make-hf-onnx-models.py
"""
import os
import sys

import numpy as np
import torch
import transformers

OUT = os.path.join(os.path.dirname(__file__), "..", "nabla-onnx", "src", "test", "resources", "huggingface")


def bert():
    config = transformers.BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                     intermediate_size=64, max_position_embeddings=32, type_vocab_size=2)
    model = transformers.BertModel(config, add_pooling_layer=True)
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(1, 64, (2, 9), generator=g)
    mask = torch.ones(2, 9, dtype=torch.int64)
    mask[1, 6:] = 0          # the second sequence is padded
    ids[1, 6:] = 0
    return model, (ids, mask), ["input_ids", "attention_mask"], ["last_hidden_state", "pooler_output"]


def resnet():
    config = transformers.ResNetConfig(num_channels=3, embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1],
                                       layer_type="basic", hidden_act="relu")
    model = transformers.ResNetModel(config)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2))
    return model, (x,), ["pixel_values"], ["last_hidden_state", "pooler_output"]


def mobilenet():
    config = transformers.MobileNetV2Config(num_channels=3, image_size=32, depth_multiplier=0.25, min_depth=4,
                                             finegrained_output=False)
    model = transformers.MobileNetV2Model(config)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    return model, (x,), ["pixel_values"], ["last_hidden_state", "pooler_output"]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    for name, make in [("bert", bert), ("resnet", resnet), ("mobilenet_v2", mobilenet)]:
        model, inputs, in_names, out_names = make()
        model.eval()
        with torch.no_grad():
            out = model(*inputs)
            expected = [out[k].numpy().astype(np.float32) for k in out_names]
        for i, (n, t) in enumerate(zip(in_names, inputs)):
            np.save(os.path.join(OUT, f"{name}_in{i}.npy"), t.numpy())
        for i, e in enumerate(expected):
            np.save(os.path.join(OUT, f"{name}_out{i}.npy"), e)

        class Wrapped(torch.nn.Module):   # plain tuple outputs for the exporters
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, *xs):
                o = self.m(*xs)
                return tuple(o[k] for k in out_names)

        w = Wrapped(model).eval()
        ts = os.path.join(OUT, f"{name}_ts.onnx")
        torch.onnx.export(w, inputs, ts, input_names=in_names, output_names=out_names, opset_version=17,
                          dynamo=False)
        dyn = os.path.join(OUT, f"{name}_dynamo.onnx")
        program = torch.onnx.export(w, inputs, input_names=in_names, output_names=out_names, dynamo=True)
        program.save(dyn, external_data=True)
        sizes = {f: os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if f.startswith(name)}
        print(name, sum(p.numel() for p in model.parameters()), "parameters;", sizes, file=sys.stderr)


if __name__ == "__main__":
    main()
