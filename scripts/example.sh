#!/usr/bin/env bash
# Runs one of the examples in nabla-examples: scripts/example.sh TensorBasics [args...]
# Compiles nabla-core and nabla-examples (no install), then runs org.nabla.examples.<Name> on their class folders.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
if [ $# -lt 1 ]; then
  echo "usage: scripts/example.sh <Example> [args...]; examples:" \
       $(cd "$root/nabla-examples/src/main/java/org/nabla/examples" && ls *.java | grep -v package-info | sed 's/\.java$//') >&2
  exit 2
fi
name="$1"; shift
(cd "$root" && "$MVN" -q -B -ntp -Dstyle.color=never compile -pl nabla-examples -am >&2)
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$root/nabla-core/target/classes:$root/nabla-data/target/classes:$root/nabla-nn/target/classes:$root/nabla-autograph/target/classes:$root/nabla-examples/target/classes" "org.nabla.examples.$name" "$@" \
  2> >(grep -v "^WARNING: Using incubator modules" >&2)
