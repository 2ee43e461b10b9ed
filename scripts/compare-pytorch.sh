#!/usr/bin/env bash
# Training and inference throughput (samples/s) of the reference models (mlp: batch 32, cnn: batch 128) in Nabla
# (`nabla bench-train`) and in PyTorch (scripts/torch_reference.py with /usr/bin/python3: Debian python3-torch with
# OpenBLAS from libopenblas0-pthread), on random data, in one run; prints both and the Nabla/PyTorch ratios.
# PyTorch runs at its best thread count here: 1 thread for the mlp, 2 for the cnn. Benchmark on a quiet machine.
# Each side warms up for at least --warmup steps and --seconds (the JVM's JIT needs it), then times at least --steps
# steps and --seconds, for training and then for inference.
# Usage: scripts/compare-pytorch.sh [--steps N] [--warmup N] [--seconds S] [--models mlp,cnn]
#                                   [--torch-threads mlp=1,cnn=2]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps=200; warmup=20; seconds=3; models=mlp,cnn; threads=mlp=1,cnn=2
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --torch-threads) threads="$2"; shift 2 ;;
    *) echo "usage: $0 [--steps N] [--warmup N] [--seconds S] [--models mlp,cnn] [--torch-threads mlp=1,cnn=2]" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
if ! "$py" -c "import torch" 2>/dev/null; then
  echo "compare-pytorch: $py cannot import torch; install the Debian packages python3-torch python3-numpy" \
       "libopenblas0-pthread" >&2
  exit 1
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nabla bench-train: >= $steps steps and >= $seconds s after >= $warmup warm-up steps and $seconds s..." >&2
"$root/nabla" bench-train --model "$models" --steps "$steps" --warmup "$warmup" --seconds "$seconds" --json \
  > "$tmp/nabla.json"
echo "PyTorch (threads $threads): the same..." >&2
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE tune the Java side's environment on some machines; PyTorch's OpenBLAS
# picks its own kernels, so they are removed for the Python child only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$root/scripts/torch_reference.py" --model "$models" \
  --threads "$threads" --steps "$steps" --warmup "$warmup" --seconds "$seconds" > "$tmp/torch.jsonl"
"$py" - "$tmp/nabla.json" "$tmp/torch.jsonl" <<'PY'
import json, sys
nabla = {r["model"]: r for r in json.load(open(sys.argv[1]))}
torch = {}
for line in open(sys.argv[2]):
    if line.strip():
        r = json.loads(line)
        torch[r["model"]] = r
first = next(iter(torch.values()))
print("PyTorch %s, BLAS: %s" % (first["torch"], first["blas"]))
print("%-5s %5s %-34s %10s %10s %7s" % ("model", "batch", "measure", "Nabla", "PyTorch", "ratio"))
for m in nabla:
    n, t = nabla[m], torch[m]
    for key, label in (("train_samples_per_second", "train samples/s"), ("infer_samples_per_second", "inference samples/s")):
        print("%-5s %5d %-34s %10.0f %10.0f %6.2fx" % (m, n["batch_size"], label + " (torch %dt)" % t["threads"],
                                                        n[key], t[key], n[key] / t[key]))
print("ratio = Nabla / PyTorch (above 1: Nabla is faster); Nabla threads: %d" % next(iter(nabla.values()))["threads"])
PY
