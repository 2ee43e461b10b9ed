#!/usr/bin/env bash
# Nabla against its strongest peers in one run: TensorFlow Java 1.1 (the Java binding of TensorFlow), Keras 3 on JAX
# (XLA), PyTorch 2.13 CPU and ONNX Runtime 1.30, on the reference models (docs/nn.md) with random
# Fashion-MNIST-shaped data (28x28 images, 10 classes, seeded):
#   mlp train at batch 32, cnn train at batch 128, inference of both at batch 1000 and batch-1 latency.
# The Python peers are installed into a virtual environment outside the repository (default
# ~/.cache/nabla-peers/venv) from the machine's local wheel index (/opt/pypi/simple, /opt/pypi-more/simple,
# /opt/wheels), never from the public index. The TensorFlow Java peer is the standalone Maven project
# scripts/peers/tfjava (not a module of Nabla's build: only this script downloads its ~160 MB native jar, from Maven
# Central into ~/.m2); it is built when missing or older than its sources and then checks itself once
# (TfJavaPeer --self-check: gradients and Adam steps against independent values). A peer that cannot be installed,
# built or run is skipped with a message, so with none available only Nabla's rows are written.
# Rounds alternate (Nabla, TensorFlow Java, Keras/JAX train_on_batch and predict_on_batch, Keras/JAX model.fit
# (training only), PyTorch 1 thread, PyTorch 2 threads, ONNX Runtime, then again), each in its own process; the table
# holds medians and min-max ranges over the rounds and the ratio Nabla / peer (above 1 Nabla is faster), the
# strongest peer in bold. Threads: Nabla, JAX and ONNX Runtime use 2 (all cores of the 2-core benchmark machine; JAX
# takes all cores), TensorFlow Java 2 intra-op and 2 inter-op threads (its session's ConfigProto), PyTorch runs at 1
# and at 2 threads.
# ONNX Runtime runs the very model files `nabla export` writes from Nabla's reference models.
# Every peer reports its models' parameter counts; a count unlike Nabla's stops the run (not the same model).
# Benchmark under the shared lock on a shared machine: flock /tmp/nabla-bench.lock scripts/compare-peers.sh ...
# Usage: scripts/compare-peers.sh [--rounds N] [--quick] [--seconds S] [--out FILE.json] [--torch-compile]
#                                 [--no-tfjava] [--only LIST] [--infer-batch LIST] [--peers LIST] [--setup-only]
#   --rounds N       alternating rounds (default 3)
#   --only LIST      only these workloads: models (mlp, cnn) and/or phases (train, infer), comma-separated; a
#                    missing kind means both, e.g. --only mlp,infer (the mlp inference rows, ~2-3 minutes with
#                    --rounds 2 --seconds 2), --only train (both training rows)
#   --infer-batch L  inference batch sizes (default 1000,1)
#   --peers LIST     only these peers beside Nabla: tfjava, keras, keras-fit, torch, ort (default: all available)
#   --quick          1 s warm-up and 1 s timing per workload, at least 3 and 5 calls (default 3 s, 20 and 20 calls)
#   --seconds S      warm-up and timing seconds per workload (after --quick: a smoke test with --seconds 0.2)
#   --out FILE.json  default target/compare-peers.json; the markdown table goes to FILE.md and stdout
#   --torch-compile  also PyTorch with torch.compile (inductor; slow to compile, needs a C compiler)
#   --no-tfjava      leave out TensorFlow Java (no Maven build or download)
#   --setup-only     build Nabla and the TensorFlow Java peer and install the Python peers, measure nothing (do it
#                    outside the lock)
set -euo pipefail
# This machine image sets OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE (older AVX2 kernels): the peers' libraries
# choose their own kernels instead (Nabla does not read them).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=3; seconds=3; warmup=20; steps=20; out="$root/target/compare-peers.json"; setup_only=0; torch_compile=0
tfjava=1; models="mlp,cnn"; phases="train,infer"; infer_batch="1000,1"; only_peers=""
venv="${NABLA_PEERS_VENV:-$HOME/.cache/nabla-peers/venv}"
usage() { sed -n '/^# Usage/,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --quick) seconds=1; warmup=3; steps=5; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --torch-compile) torch_compile=1; shift ;;
    --no-tfjava) tfjava=0; shift ;;
    --setup-only) setup_only=1; shift ;;
    --only)
      m=(); ph=()
      IFS=, read -ra items <<<"$2"
      for w in "${items[@]}"; do
        case "$w" in mlp|cnn) m+=("$w") ;; train|infer) ph+=("$w") ;;
          *) echo "compare-peers: --only takes mlp, cnn, train, infer; got '$w'" >&2; exit 2 ;; esac
      done
      [ ${#m[@]} -gt 0 ] && models="$(IFS=,; echo "${m[*]}")"
      [ ${#ph[@]} -gt 0 ] && phases="$(IFS=,; echo "${ph[*]}")"
      shift 2 ;;
    --infer-batch) infer_batch="$2"; shift 2 ;;
    --peers) only_peers=",$2,"; shift 2 ;;
    *) usage ;;
  esac
done
wanted_peer() { [ -z "$only_peers" ] || [[ "$only_peers" == *",$1,"* ]]; }
has_phase() { [[ ",$phases," == *",$1,"* ]]; }
source "$root/scripts/env.sh"

# --- Nabla: package the CLI (no install: ~/.m2 is shared) when the jar is missing or older than the sources.
jar="$root/nabla-cli/target/nabla-cli.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune \
     -o -path "$root/scripts" -prune -o -path '*/src/test' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) \
     -newer "$jar" -print -quit)" ]; then
  echo "compare-peers: building nabla-cli..." >&2
  (cd "$root" && "$MVN" -B -q -o -pl nabla-cli -am package -DskipTests -Dmaven.javadoc.skip=true \
     -Dmaven.source.skip=true >&2) || (cd "$root" && "$MVN" -B -q -pl nabla-cli -am package -DskipTests \
     -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >&2)
fi
nabla=("$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
       --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC -XX:NewRatio=1 $NABLA_HEAP_OPTS
       -cp "$jar:$root/nabla-cli/target/lib/*" org.nabla.cli.Main)

# --- Peers: one pip install per peer from the local wheels only; a failure skips that peer.
pip_local=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels)
declare -A wants=([keras]="jax==0.10.* jaxlib==0.10.* keras==3.15.*" [torch]="torch==2.13.*"
                  [ort]="onnxruntime==1.30.* onnx")
# Keras needs its backend chosen before import (it defaults to TensorFlow, which is not installed).
declare -A imports=([keras]="jax, keras" [torch]="torch" [ort]="onnxruntime")
available=()
py="$venv/bin/python"
if [ ! -x "$py" ]; then
  base="$(command -v python3.11 || command -v python3 || true)"
  if [ -z "$base" ] || ! mkdir -p "$(dirname "$venv")" || ! "$base" -m venv "$venv" >&2; then
    echo "compare-peers: cannot create a virtual environment at $venv; measuring Nabla only" >&2
  fi
fi
if [ -x "$py" ]; then
  for peer in keras torch ort; do
    if ! KERAS_BACKEND=jax "$py" -c "import numpy, ${imports[$peer]}" 2>/dev/null; then
      echo "compare-peers: installing $peer (${wants[$peer]}) from the local wheels..." >&2
      # shellcheck disable=SC2086 # the version specifiers are meant to split
      if ! "$py" -m pip install -q --disable-pip-version-check "${pip_local[@]}" 'numpy==2.4.*' ${wants[$peer]} \
           2>&1 | grep -v "is ignored: it is neither a file nor a directory" >&2; then :; fi
    fi
    if KERAS_BACKEND=jax "$py" -c "import numpy, ${imports[$peer]}" 2>/dev/null; then available+=("$peer")
    else echo "compare-peers: skipping $peer: it cannot be installed or imported in $venv" >&2; fi
  done
fi

# --- TensorFlow Java: package scripts/peers/tfjava (offline first, then resolving from Maven Central) when its jar is
# missing or older than its sources; a fresh build checks itself once. A failure skips the peer.
tf_dir="$root/scripts/peers/tfjava"
tf_jar="$tf_dir/target/nabla-peer-tfjava-1.0-SNAPSHOT.jar"
tf_java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
if [ "$tfjava" = 1 ]; then
  tf_built=0
  if [ ! -f "$tf_jar" ] || [ ! -f "$tf_dir/target/classpath.txt" ] || [ -n "$(find "$tf_dir/pom.xml" "$tf_dir/src" \
       -newer "$tf_jar" -print -quit)" ]; then
    echo "compare-peers: building the TensorFlow Java peer (the first build downloads ~160 MB from Maven" \
         "Central)..." >&2
    if "$MVN" -B -q -o -f "$tf_dir/pom.xml" package >/dev/null 2>&1 || "$MVN" -B -q -f "$tf_dir/pom.xml" package >&2
    then tf_built=1; else rm -f "$tf_jar"; fi
  fi
  if [ -f "$tf_jar" ] && [ -f "$tf_dir/target/classpath.txt" ]; then
    tf_java+=(-cp "$tf_jar:$(cat "$tf_dir/target/classpath.txt")" org.nabla.peers.tfjava.TfJavaPeer)
    if [ "$tf_built" = 0 ]; then available+=(tfjava)
    elif check="$("${tf_java[@]}" --self-check 2>&1)"; then
      grep "^self-check" <<<"$check" >&2; available+=(tfjava)
    else
      echo "compare-peers: skipping tfjava: its self-check failed:" >&2; tail -n 5 <<<"$check" >&2; rm -f "$tf_jar"
    fi
  else
    echo "compare-peers: skipping tfjava: scripts/peers/tfjava did not build (Maven's errors above; no network" \
         "for Maven Central?)" >&2
  fi
fi
echo "compare-peers: peers available: ${available[*]:-none}" >&2
[ "$setup_only" = 1 ] && exit 0

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
has() { [[ " ${available[*]:-} " == *" $1 "* ]]; }
if has ort; then
  # The models ONNX Runtime runs: Nabla's reference models saved and exported with `nabla export`.
  "${nabla[@]}" bench-train --model "$models" --no-train --steps 1 --warmup 0 --seconds 0 --infer-batch-size 1 \
    --save-model "$tmp/saved" > /dev/null 2> >(grep -v "^WARNING: Using incubator" >&2)
  mkdir -p "$tmp/onnx"
  for m in ${models//,/ }; do "${nabla[@]}" export --model "$tmp/saved/$m" --onnx "$tmp/onnx/$m.onnx" >&2 \
    2> >(grep -v "^WARNING: Using incubator" >&2); done
fi

timing=(--warmup "$warmup" --steps "$steps" --seconds "$seconds")
json_argv() { "${py:-python3}" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" 2>/dev/null ||
              python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
nabla_args=(bench-train --model "$models" --json "${timing[@]}")
has_phase infer && nabla_args+=(--infer-batch-size "$infer_batch")
# Training only: bench-train also times inference (at batch 1 here); compare.py --phases drops those rows.
has_phase infer || nabla_args+=(--infer-batch-size 1)
has_phase train || nabla_args+=(--no-train)
# The Python and TensorFlow Java peers take the same selection.
selection=(--models "$models" --phases "$phases" --infer-batch "$infer_batch")
peers=(--peer "nabla=$(json_argv "${nabla[@]}" "${nabla_args[@]}")")
p="$root/scripts/peers"
has tfjava && wanted_peer tfjava && peers+=(--peer "tfjava=$(json_argv "${tf_java[@]}" --threads 2 \
                                                               "${selection[@]}" "${timing[@]}")")
if has keras; then
  wanted_peer keras && peers+=(--peer "keras=$(json_argv env KERAS_BACKEND=jax "$py" "$p/keras_jax.py" \
                                                 "${selection[@]}" "${timing[@]}")")
  wanted_peer keras-fit && has_phase train && peers+=(--peer "keras-fit=$(json_argv env KERAS_BACKEND=jax "$py" \
    "$p/keras_jax.py" --fit --models "$models" --phases train "${timing[@]}")")
fi
if has torch && wanted_peer torch; then
  for t in 1 2; do peers+=(--peer "torch-${t}t=$(json_argv "$py" "$p/torch_peer.py" --threads $t "${selection[@]}" \
                                                "${timing[@]}")"); done
  [ "$torch_compile" = 1 ] && peers+=(--peer "torch-compile=$(json_argv "$py" "$p/torch_peer.py" --compile \
                                        --threads 2 "${selection[@]}" "${timing[@]}")")
fi
has ort && wanted_peer ort && has_phase infer && peers+=(--peer "ort=$(json_argv "$py" "$p/ort_peer.py" --models \
  "$models" --phases infer --infer-batch "$infer_batch" --threads 2 --onnx-dir "$tmp/onnx" "${timing[@]}")")
mkdir -p "$(dirname "$out")"
note="$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load at start $(cut -d' ' -f1-3 \
  /proc/loadavg); Java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); warm-up >= ${seconds}s and $warmup calls, \
timing >= ${seconds}s and $steps calls per workload"
echo "compare-peers: $rounds rounds; $note" >&2
driver_py="$py"; [ -x "$driver_py" ] || driver_py=python3
"$driver_py" "$p/compare.py" --rounds "$rounds" --out "$out" --note "$note" --phases "$phases" "${peers[@]}"
