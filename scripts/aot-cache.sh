#!/usr/bin/env bash
# Java 25's AOT cache of the CLI (JEP 483/514/515: classes loaded and linked, lambdas resolved, method profiles), made
# once per build (again whenever a jar is newer than it) from a short training run (bench-train, a few steps of the
# image models on random data). It roughly halves start-up. Sourced by the launcher and scripts/compare-text.sh --aot:
#   nabla_aot_opts ROOT JAVA_OPTS...   sets the array aot_opts (empty when there is no cache or NABLA_AOT=0)
# A JVM that refuses the cache (other options in NABLA_JAVA_OPTS) runs without it, silently.
nabla_aot_opts() {
  local root="$1"; shift
  local jar="$root/nabla-cli/target/nabla-cli.jar"
  local classpath="$jar:$root/nabla-cli/target/lib/*" aot="$root/nabla-cli/target/nabla.aot"
  local tried="$aot.tried"   # touched at each attempt, so a build whose training run fails is not retried every time
  aot_opts=()
  [ "${NABLA_AOT:-1}" != 0 ] || return 0
  if [ ! -f "$tried" ] || [ -n "$(find "$jar" "$root/nabla-cli/target/lib" -newer "$tried" -print -quit 2>/dev/null)" ]; then
    echo "nabla: making the start-up cache (once per build, a few seconds; NABLA_AOT=0 skips it)..." >&2
    rm -f "$aot"
    touch "$tried"
    local tmp="$aot.$$.tmp"
    if "$JAVA_HOME/bin/java" "$@" -XX:AOTCacheOutput="$tmp" -Xlog:aot*=off,cds*=off -cp "$classpath" \
         org.nabla.cli.Main bench-train --model mlp,cnn --steps 2 --warmup 1 --seconds 0 >/dev/null 2>&1 && [ -f "$tmp" ]; then
      mv -f "$tmp" "$aot"
    else
      rm -f "$tmp" "$tmp.config"
    fi
  fi
  [ -f "$aot" ] && aot_opts=(-XX:AOTCache="$aot" -Xlog:aot*=off,cds*=off)
  return 0
}
