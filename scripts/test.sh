#!/usr/bin/env bash
# The test command: builds every module and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec "$MVN" -B -ntp install "$@"
