"""PyTorch peer of scripts/compare-peers.sh (eager mode; --compile uses torch.compile): the reference models of
docs/nn.md in NCHW, Adam(1e-3, eps 1e-7), cross-entropy from logits. Output: see common.py."""
import common
import torch
from torch import nn


def make(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))


def main():
    p = common.options(__doc__)
    p.add_argument("--compile", action="store_true", help="torch.compile the model (inductor, offline)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    peer = "PyTorch %s%s (%d thread%s)" % (torch.__version__.split("+")[0], " compiled" if a.compile else "",
                                            a.threads, "" if a.threads == 1 else "s")
    for name, phase, batch in common.workloads(a):
        torch.manual_seed(42)
        model = make(name)
        params = sum(p.numel() for p in model.parameters())
        fn = torch.compile(model) if a.compile else model
        xs, ys = common.data(batch)
        xs = [torch.from_numpy(x).reshape(batch, 1, 28, 28) for x in xs]
        ys = [torch.from_numpy(y) for y in ys]
        if phase == "train":
            opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
            loss_fn = nn.CrossEntropyLoss()
            model.train()

            def step(i):
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(fn(xs[i % 4]), ys[i % 4])
                loss.backward()
                opt.step()
                return loss
            calls, secs = common.time_calls(step, a, sync=lambda loss: loss.item())
        else:
            model.eval()
            with torch.inference_mode():
                calls, secs = common.time_calls(lambda i: fn(xs[i % 4]), a)
        common.emit(peer, name, phase, batch, calls, secs, params)


if __name__ == "__main__":
    main()
