#!/usr/bin/env bash
# Whole `nabla train` runs against the same training in Keras 3 on JAX and PyTorch 2.13 CPU, on real data: each tool
# trains the same model on the same split for the same epochs, in alternating rounds, each in its own process.
# Models: mlp and cnn on Fashion-MNIST (`nabla train --dataset fashion-mnist`; scripts/references/keras_fashion.py,
# torch_fashion.py), lstm and transformer on the SpamAssassin text (`--dataset spam`; keras_spam.py, torch_spam.py),
# names: the first-names GRU (`--dataset names --model gru`; keras_names_gender.py, torch_names.py).
# Prints per round the test accuracy, the throughput over all epochs and over the epochs after the first (the
# steady speed: the first epoch also traces or compiles, and pays the JIT's warm-up); every tool counts an epoch from
# its start to its last training batch (validation excluded); the summary gives medians and Nabla / peer ratios.
# Needs the datasets (Debian's dataset-fashion-mnist; scripts/setup-datasets.sh spam / names), Nabla's CLI jars
# (scripts/maven.sh -pl nabla-cli -am package -DskipTests) and the peers venv (scripts/compare-peers.sh --setup-only).
# Benchmark on a quiet machine, under the shared lock: flock /tmp/nabla-bench.lock scripts/compare-fit.sh ...
# --epochs: default each model's `nabla train` default (mlp 5, cnn 3, lstm 3, transformer 3, names 10).
# --aot: run Nabla as the launcher does, with its JVM options and its AOT cache (scripts/aot-cache.sh; made before the
# first round when missing or older than the jars); without it (the default) Nabla starts with no cache.
# Usage: scripts/compare-fit.sh [--rounds N] [--epochs E] [--models mlp,cnn,lstm,transformer,names]
#                               [--peers keras,torch] [--aot]
set -euo pipefail
# This machine image sets OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE (older AVX2 kernels): the peers' libraries
# choose their own kernels instead (Nabla does not read them).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=2; epochs=""; models=mlp,cnn; peers=keras,torch; aot=0
venv="${NABLA_PEERS_VENV:-$HOME/.cache/nabla-peers/venv}"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --peers) peers="$2"; shift 2 ;;
    --aot) aot=1; shift ;;
    *) sed -n '/^# Usage/,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
source "$root/scripts/env.sh"
cp="$root/nabla-cli/target/nabla-cli.jar:$root/nabla-cli/target/lib/*"
[ -f "$root/nabla-cli/target/nabla-cli.jar" ] || { echo "build nabla-cli first" >&2; exit 1; }
java_opts=(--add-modules=jdk.incubator.vector -XX:+UseParallelGC -XX:NewRatio=1 $NABLA_HEAP_OPTS)
aot_opts=()
if [ "$aot" = 1 ]; then
  java_opts=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
             -XX:+UseParallelGC -XX:NewRatio=1 $NABLA_HEAP_OPTS)   # the launcher's: a cache needs the same options
  source "$root/scripts/aot-cache.sh"
  nabla_aot_opts "$root" "${java_opts[@]}"
fi
# The dataset and model flags of `nabla train` for a model name.
nabla_args() {
  case "$1" in
    mlp|cnn) echo --dataset fashion-mnist --model "$1" ;;
    names) echo --dataset names --model gru ;;
    lstm|transformer) echo --dataset spam --model "$1" ;;
    *) echo "compare-fit: unknown model '$1' (mlp, cnn, lstm, transformer, names)" >&2; exit 2 ;;
  esac
}
# A peer's reference script and its arguments before the epochs (each script's default epochs are nabla train's).
peer_args() {
  local dir="$root/scripts/references"
  case "$2" in
    mlp|cnn) echo "$dir/$1_fashion.py $2" ;;
    names) if [ "$1" = keras ]; then echo "$dir/keras_names_gender.py"; else echo "$dir/torch_names.py"; fi ;;
    *) if [ "$1" = keras ]; then echo "$dir/keras_spam.py train $2"; else echo "$dir/torch_spam.py $2"; fi ;;
  esac
}
for m in ${models//,/ }; do nabla_args "$m" >/dev/null; done
results=$(mktemp)
# steady = the mean throughput of epochs 2.. (train examples / seconds), from each tool's per-epoch lines
for r in $(seq 1 "$rounds"); do
  for m in ${models//,/ }; do
    out=$(mktemp -d)
    "$JAVA_HOME/bin/java" "${java_opts[@]}" "${aot_opts[@]}" -cp "$cp" \
      org.nabla.cli.Main train $(nabla_args "$m") ${epochs:+--epochs "$epochs"} --out "$out/run" --no-tensorboard \
      --quiet >/dev/null 2>&1 || { echo "nabla $m failed" >&2; continue; }
    python3 - "$out/run/metrics.json" "$r" "$m" >>"$results" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]} {sys.argv[3]} nabla {m['test_accuracy']:.4f} {m['train_samples_per_second']:.1f} "
      f"{m.get('steady_train_samples_per_second', float('nan')):.1f}")
PY
    rm -rf "$out"
    for p in ${peers//,/ }; do
      log=$(mktemp)
      # shellcheck disable=SC2046 # the peer's arguments are meant to split
      KERAS_BACKEND=jax "$venv/bin/python" $(peer_args "$p" "$m") $epochs >"$log" 2>/dev/null \
        || { echo "$p $m failed" >&2; continue; }
      python3 - "$log" "$r" "$m" "$p" >>"$results" <<'PY'
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
secs = [float(re.search(r": ([\d.]+) s,", l).group(1)) for l in lines if l.startswith("epoch ")]
n = json.loads([l for l in lines if l.startswith("{")][-1])
train = n["train"]
steady = train * (len(secs) - 1) / sum(secs[1:]) if len(secs) > 1 else float("nan")
print(f"{sys.argv[2]} {sys.argv[3]} {sys.argv[4]} {n['test_accuracy']:.4f} {train * len(secs) / sum(secs):.1f} {steady:.1f}")
PY
      rm -f "$log"
    done
  done
done
echo "round model tool test_accuracy all_epochs_samples_per_s steady_samples_per_s"
cat "$results"
python3 - "$results" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r, m, tool, acc, allep, steady = line.split()
    rows[(m, tool)].append((float(acc), float(allep), float(steady)))
print("\n| model | tool | test accuracy | samples/s, all epochs (median) | samples/s, epochs 2.. (median) | Nabla / tool, all | Nabla / tool, steady |")
print("|---|---|---|---|---|---|---|")
for (m, tool), v in sorted(rows.items()):
    med = [statistics.median(x[i] for x in v) for i in range(3)]
    nab = rows.get((m, "nabla"))
    ratio = ["", ""]
    if nab and tool != "nabla":
        nm = [statistics.median(x[i] for x in nab) for i in range(3)]
        ratio = [f"{nm[1] / med[1]:.2f}x", f"{nm[2] / med[2]:.2f}x"]
    print(f"| {m} | {tool} | {med[0]:.4f} | {med[1]:.0f} | {med[2]:.0f} | {ratio[0]} | {ratio[1]} |")
PY
rm -f "$results"
