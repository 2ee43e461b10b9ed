#!/usr/bin/env bash
# The text models' whole runs against Keras and PyTorch: scripts/compare-fit.sh with --models lstm,transformer unless
# the arguments name others (e.g. --models names). Same options as compare-fit.sh.
exec "$(dirname "$0")/compare-fit.sh" --models lstm,transformer "$@"
