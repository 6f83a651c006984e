#!/usr/bin/env bash
# Extracts the real-world corpus of testdata/init-corpus into each entry's
# tree/ (git-ignored): the repository named by SOURCE at its pinned commit,
# read from a local snapshot (MIRROR, default /work/.mirror/OWNER+NAME/repo,
# which the session tool `fetch` leaves there). It downloads nothing: an
# entry without a snapshot is reported and left without a tree. The trees
# are never committed (the snapshots' terms); `make corpus` reads them.
set -uo pipefail
cd "$(dirname "$0")/.."
MIRROR=${MIRROR:-/work/.mirror}
missing=0
for src in testdata/init-corpus/*/SOURCE; do
  entry=$(dirname "$src")
  read -r url commit _ <"$src"
  repo=${url#https://github.com/}
  if [ -d "$entry/tree" ]; then
    continue
  fi
  git_dir="$MIRROR/${repo/\//+}/repo"
  [ -d "$git_dir" ] || git_dir="$MIRROR/${repo/\//+}"
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "corpus: $entry: no snapshot of $repo at $commit under $MIRROR (fetch it first)" >&2
    missing=$((missing + 1))
    continue
  fi
  mkdir -p "$entry/tree.part"
  git --git-dir="$git_dir" archive "$commit" | tar -x -C "$entry/tree.part" &&
    mv "$entry/tree.part" "$entry/tree"
  echo "corpus: $entry: $repo@${commit:0:12}"
done
[ "$missing" -eq 0 ] || { echo "corpus: $missing entries have no tree" >&2; exit 1; }
