#!/usr/bin/env bash
# Extracts the real-world corpora of testdata/init-corpus and
# testdata/check-corpus into each entry's
# tree/ (git-ignored): the repository named by SOURCE at its pinned commit,
# read from a local snapshot (MIRROR, default /work/.mirror/OWNER+NAME/repo,
# which the session tool `fetch` leaves there). It downloads nothing: an
# entry without a snapshot is reported and left without a tree. The trees
# are never committed (the snapshots' terms); `make corpus` reads them.
set -uo pipefail
cd "$(dirname "$0")/.."
MIRROR=${MIRROR:-/work/.mirror}
missing=0
for src in testdata/init-corpus/*/SOURCE testdata/check-corpus/*/SOURCE; do
  entry=$(dirname "$src")
  read -r url commit _ <"$src"
  repo=${url#https://github.com/}
  if [ -d "$entry/tree" ]; then
    continue
  fi
  # A snapshot is a bare git directory at OWNER+NAME/repo, or, for some,
  # a .git inside it.
  git_dir="$MIRROR/${repo/\//+}/repo"
  [ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
  [ -d "$git_dir" ] || git_dir="$MIRROR/${repo/\//+}"
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "corpus: $entry: no snapshot of $repo at $commit under $MIRROR (fetch it first)" >&2
    missing=$((missing + 1))
    continue
  fi
  # A snapshot lacks its largest files (images, mostly): extract the
  # blobs it holds, through a throwaway index, and name the ones it lacks.
  rm -rf "$entry/tree.part" && mkdir -p "$entry/tree.part"
  index=$(mktemp)
  GIT_INDEX_FILE=$index git --git-dir="$git_dir" read-tree "$commit" &&
    GIT_INDEX_FILE=$index git --git-dir="$git_dir" --work-tree="$entry/tree.part" \
      checkout-index -a -f 2>"$index.err"
  absent=$(grep -c 'unable to read' "$index.err")
  rm -f "$index" "$index.err"
  mv "$entry/tree.part" "$entry/tree"
  [ "$absent" -eq 0 ] || echo "corpus: $entry: $absent files absent from the snapshot (over its size limit)"
  echo "corpus: $entry: $repo@${commit:0:12}"
done
[ "$missing" -eq 0 ] || { echo "corpus: $missing entries have no tree" >&2; exit 1; }
