#!/usr/bin/env bash
# Runs the project's pinned Maven through the Maven wrapper (./mvnw, version in .mvn/wrapper).
# The wrapper downloads Maven once from the repository named by MVNW_REPOURL. The repo names no host, so when
# MVNW_REPOURL is unset this takes the Maven Central address the machine already uses: a mirror in the user's
# Maven settings, or the central repository built into an installed Maven (Debian's maven package is installed
# for that when nothing else is found and we run as root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

mirror_url() {
  local settings="${MAVEN_USER_HOME:-$HOME/.m2}/settings.xml"
  [ -f "$settings" ] || return 1
  sed -n '/<mirror>/,/<\/mirror>/s:.*<url>\(.*\)</url>.*:\1:p' "$settings" | head -n 1 | grep .
}

installed_maven_central_url() {
  command -v mvn >/dev/null 2>&1 || return 1
  local home jar
  home="$(cd "$(dirname "$(readlink -f "$(command -v mvn)")")/.." && pwd)"
  for jar in "$home"/lib/maven-model-builder-*.jar; do
    [ -f "$jar" ] || continue
    unzip -p "$jar" org/apache/maven/model/pom-4.0.0.xml 2>/dev/null |
      sed -n '/<repositories>/,/<\/repositories>/s:.*<url>\(.*\)</url>.*:\1:p' | head -n 1 | grep . && return 0
  done
  return 1
}

# The wrapper checks the SHA-256 of the .zip it downloads; without unzip it would fetch a .tar.gz instead.
if ! command -v unzip >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q unzip) >&2 || true
  fi
  command -v unzip >/dev/null 2>&1 || { echo "nabla: the Maven wrapper needs unzip (apt-get install unzip)" >&2; exit 1; }
fi

if [ -z "${MVNW_REPOURL:-}" ]; then
  url="$(mirror_url || installed_maven_central_url || true)"
  if [ -z "$url" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "nabla: installing Debian's maven to learn this machine's Maven Central address" >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven) >&2 || true
    url="$(installed_maven_central_url || true)"
  fi
  if [ -z "$url" ]; then
    echo "nabla: cannot tell where Maven Central is. Set MVNW_REPOURL to a Maven repository's base address" \
         "(Maven Central's, ending in /maven2, or your mirror's), or install any Maven 3." >&2
    exit 1
  fi
  export MVNW_REPOURL="${url%/}"
fi
# Offline with no cached wrapper Maven, fall back to an installed Maven rather than fail.
if ! "$root/mvnw" -v >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
  installed="$(mvn -B -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"
  echo "nabla: the Maven wrapper could not install its Maven (offline?); using the installed $installed" >&2
  exec mvn "$@"
fi
exec "$root/mvnw" "$@"
