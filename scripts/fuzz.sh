#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 10m):
# the targets are found, not listed, so a new one is never left out.
#   scripts/fuzz.sh [FUZZTIME] [PACKAGE-PATTERN]
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-${FUZZTIME:-10m}}
pattern=${2:-./...}
go=${GO:-go}
failed=0
for pkg in $($go list "$pattern"); do
  dir=$($go list -f '{{.Dir}}' "$pkg")
  grep -lq '^func Fuzz' "$dir"/*_test.go 2>/dev/null || continue
  for target in $($go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== $pkg $target ($time)"
    if ! $go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time"; then
      failed=1
    fi
  done
done
exit $failed
