# Sourced by the nabla launcher, .ci/run and the benchmark scripts: finds a Java 25 and Maven.
# Honours JAVA_HOME when it points at Java 25 or newer; otherwise looks in the usual install folders.

# The JDK's release file says its version without starting a JVM (which costs the launcher ~50 ms on every command).
nabla_java_version() {
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1)
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  echo "$v"
}

nabla_find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/temurin-2[6-9]* /opt/java/* /usr/local/java/* \
           "$HOME"/.sdkman/candidates/java/* /usr/lib/jvm/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    if [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ]; then
      local v; v=$(nabla_java_version "$d")
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME="$d"; return 0; fi
    fi
  done
  echo "nabla: no Java 25 (or newer) JDK found. Install Temurin 25 and set JAVA_HOME to it" \
       "(looked in \$JAVA_HOME and /usr/lib/jvm)." >&2
  return 1
}

# Maven comes through the Maven wrapper (./mvnw, pinned in .mvn/wrapper) run by scripts/maven.sh.
nabla_find_maven() { MVN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/maven.sh"; }

# A young generation of fixed size (256 MB): ParallelGC's adaptive sizing otherwise shrinks and regrows it, and every
# regrowth touches fresh memory, which on the benchmark VM ran allocating loops (a 256 x 256 matmul per call) at
# 50 GFLOP/s instead of 250-300 for seconds at a time (docs/configuration.md, benchmarks.md session 16).
# And the heap in 2 MB pages where Linux gives them on request (transparent huge pages in "madvise" mode): fresh 4 KB
# pages fault one by one (~12 us each on that VM). Override either with NABLA_JAVA_OPTS (the later flag wins).
NABLA_HEAP_OPTS="-Xmn256m"
grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null \
  && NABLA_HEAP_OPTS="$NABLA_HEAP_OPTS -XX:+UseTransparentHugePages"

nabla_find_java && nabla_find_maven && export PATH="$JAVA_HOME/bin:$PATH"
# Maven on Java 25 warns about sun.misc.Unsafe in its own libraries; that noise is not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
