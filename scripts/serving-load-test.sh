#!/usr/bin/env bash
# The serving load test of issue 16: a trained model served by Nabla over REST and gRPC, batching on and off, at
# 1, 8 and 64 closed-loop clients (org.nabla.serving.LoadGenerator, clients and server in one JVM), then the ceiling
# row: ONNX Runtime's own throughput on the same model exported to ONNX (scripts/serving-onnx-ceiling.py), no server.
#
# usage: scripts/serving-load-test.sh RUN_DIR [SECONDS=3] [ROUNDS=2] [CLIENTS=1,8,64]
#   RUN_DIR: a folder written by `nabla train` (or a saved model). Build first (this script builds nothing):
#   scripts/maven.sh -q -o -pl nabla-cli -am package -DskipTests. On a shared machine run it under the lock:
#   flock /tmp/nabla-bench.lock scripts/serving-load-test.sh RUN_DIR
#   The ceiling needs a Python with onnxruntime and numpy ($NABLA_PYTHON, else ~/.cache/nabla-peers/venv, else
#   python3); without one that row is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
run="${1:?usage: scripts/serving-load-test.sh RUN_DIR [SECONDS] [ROUNDS] [CLIENTS]}"
seconds="${2:-3}"; rounds="${3:-2}"; clients="${4:-1,8,64}"
cp="nabla-cli/target/nabla-cli.jar:nabla-cli/target/lib/*"
[ -f nabla-cli/target/nabla-cli.jar ] || { echo "build nabla-cli first (see the usage)" >&2; exit 2; }
java=("$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
      --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC -XX:NewRatio=1 $NABLA_HEAP_OPTS -cp "$cp")

echo "== Nabla: REST and gRPC, batching on and off =="
"${java[@]}" org.nabla.serving.LoadGenerator "$run" "$seconds" "$rounds" "$clients" rest,grpc

python="${NABLA_PYTHON:-$HOME/.cache/nabla-peers/venv/bin/python}"
[ -x "$python" ] || python=python3
if ! "$python" -c "import onnxruntime, numpy" 2>/dev/null; then
  echo "== ceiling skipped: no Python with onnxruntime and numpy (set NABLA_PYTHON) =="
  exit 0
fi
onnx="$(mktemp -d)/model.onnx"
trap 'rm -rf "$(dirname "$onnx")"' EXIT
"${java[@]}" org.nabla.cli.Main export --model "$run" --onnx "$onnx" >/dev/null
echo "== ceiling: ONNX Runtime $("$python" -c 'import onnxruntime; print(onnxruntime.__version__)') on the same model, no server =="
"$python" scripts/serving-onnx-ceiling.py "$onnx" "$seconds" "$rounds" "$clients"
