#!/usr/bin/env bash
# Start-up times of builds, in alternating rounds (the machine drifts): a library program's first tensor add (time
# from main to its result, and the whole JVM's wall time) and `nabla version`'s wall time, each without and with a
# Java AOT cache made from a training run of that build. Prints one line per run and the medians.
#
# Usage: scripts/bench-startup.sh [--rounds N] NAME=DIR [NAME=DIR ...]
#   DIR holds nabla-cli.jar and lib/ (a copy of nabla-cli/target, e.g. the baseline's); the current build is
#   nabla-cli/target. Example: scripts/bench-startup.sh --rounds 7 base=../bench/base new=nabla-cli/target
# The timed rounds hold the shared benchmark lock (/tmp/nabla-bench.lock); making the caches before them does not.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
rounds=5
if [ "${1:-}" = --rounds ]; then rounds="$2"; shift 2; fi
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/FirstOp.java" <<'EOF'
import org.nabla.Tensor;
import org.nabla.Tensors;

public class FirstOp {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Tensor sum = Tensors.of(new float[][] {{1, 2}, {3, 4}}).add(Tensors.of(new float[][] {{1, 1}, {0, 1}}));
        float v = ((float[][]) sum.toArray())[1][1];
        System.out.println("first_op_ms " + (System.nanoTime() - t0) / 1e6 + (v == 5f ? "" : " WRONG " + v));
    }
}
EOF
java_opts=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:NewRatio=1)
names=()
for spec in "$@"; do
  name="${spec%%=*}"; dir="$(cd "${spec#*=}" && pwd)"; names+=("$name")
  mkdir -p "$work/$name"
  cp "$dir/nabla-cli.jar" "$work/$name/" && cp -r "$dir/lib" "$work/$name/lib"
  core="$(ls "$work/$name"/lib/nabla-core-*.jar)"
  javac -nowarn -cp "$core" -d "$work/$name/classes" "$work/FirstOp.java" 2>/dev/null
  jar --create --file "$work/$name/firstop.jar" -C "$work/$name/classes" . # an AOT cache takes jars, not folders
  # The AOT caches: each from a training run of what it will start (JEP 514's one-step -XX:AOTCacheOutput).
  java "${java_opts[@]}" -XX:AOTCacheOutput="$work/$name/op.aot" -Xlog:aot*=off,cds*=off -cp "$core:$work/$name/firstop.jar" \
      FirstOp >/dev/null 2>&1
  java "${java_opts[@]}" -XX:AOTCacheOutput="$work/$name/cli.aot" -Xlog:aot*=off,cds*=off \
      -cp "$work/$name/nabla-cli.jar:$work/$name/lib/*" org.nabla.cli.Main bench-train --model mlp,cnn --steps 2 \
      --warmup 1 --seconds 0 >/dev/null 2>&1
  for f in op.aot cli.aot; do [ -f "$work/$name/$f" ] || echo "warning: $name: no $f was made (runs as without)" >&2; done
done

exec 9>/tmp/nabla-bench.lock
flock 9
wall() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -A results
for ((r = 1; r <= rounds; r++)); do
  for name in "${names[@]}"; do
    d="$work/$name"; core="$(ls "$d"/lib/nabla-core-*.jar)"
    for aot in none cache; do
      op_aot=(); cli_aot=()
      if [ $aot = cache ]; then
        op_aot=(-XX:AOTCache="$d/op.aot" -Xlog:aot*=off,cds*=off); cli_aot=(-XX:AOTCache="$d/cli.aot" -Xlog:aot*=off,cds*=off)
      fi
      s=$(date +%s%N)
      ms=$(java "${java_opts[@]}" "${op_aot[@]}" -cp "$core:$d/firstop.jar" FirstOp 2>/dev/null | sed -n 's/^first_op_ms //p')
      e=$(date +%s%N)
      v=$(wall java "${java_opts[@]}" "${cli_aot[@]}" -cp "$d/nabla-cli.jar:$d/lib/*" org.nabla.cli.Main version)
      line="first_op_ms=${ms%.*} first_op_jvm_wall_ms=$(( (e - s) / 1000000 )) version_wall_ms=$v"
      echo "round $r $name aot=$aot $line"
      results["$name aot=$aot"]+="$line"$'\n'
    done
  done
done
echo "medians over $rounds rounds (min-max):"
for key in "${!results[@]}"; do
  out="$key:"
  for metric in first_op_ms first_op_jvm_wall_ms version_wall_ms; do
    vals=$(printf '%s' "${results[$key]}" | grep -o "$metric=[0-9]*" | cut -d= -f2 | sort -n)
    n=$(echo "$vals" | wc -l)
    out+=" $metric $(echo "$vals" | sed -n "$(( (n + 1) / 2 ))p") ($(echo "$vals" | head -1)-$(echo "$vals" | tail -1))"
  done
  echo "$out"
done | sort
