#!/usr/bin/env bash
# Kubernetes checks against kube-score on the same 2,000 generated documents.
# kube-score, the other established Kubernetes linter, is always the
# baseline; kube-linter is timed too when it installs (on this project's CI
# machine the module proxy refuses its host, so it does not).
# Prints both times and the ratio; timings on shared machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
work=.cache/bench-kube
rm -rf "$work" && mkdir -p "$work"
go build -o bin/shipshape ./cmd/shipshape
go run ./internal/lint/linttest/gencorpus -kind kube -n 2000 "$work/manifests"
command -v kube-score >/dev/null || go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0
command -v kube-linter >/dev/null || go install golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.1 2>/dev/null ||
  echo "kube-linter does not install here; comparing with kube-score only"

time_of() { # runs a command 3 times, prints the best wall time in seconds
  local best=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    best=$(python3 -c "print(min(float('${best:-1e9}'), $e-$s))" 2>/dev/null || echo "$e - $s" | bc)
  done
  echo "$best"
}
ours=$(time_of bin/shipshape check --format json "$work/manifests")
theirs=$(time_of kube-score score --output-format ci "$work"/manifests/*.yaml)
docs=$(cat "$work"/manifests/*.yaml | grep -c '^kind:')
echo "documents: $docs"
echo "shipshape check: ${ours}s (every finding with file:line:column)"
echo "kube-score:      ${theirs}s"
python3 -c "print('kube-score / shipshape time ratio: %.1fx' % ($theirs/$ours))" 2>/dev/null || true
if command -v kube-linter >/dev/null; then
  linter=$(time_of kube-linter lint --format json "$work/manifests")
  echo "kube-linter:     ${linter}s (findings without line numbers)"
  python3 -c "print('kube-linter / shipshape time ratio: %.1fx' % ($linter/$ours))" 2>/dev/null || true
fi
