#!/usr/bin/env bash
# docs/performance.md's example table: for every app in examples/init, the image size,
# a cold build (BuildKit's cache pruned first: no layer or cache-mount
# reuse), a rebuild after touching one source file, startup to healthy,
# stop after SIGTERM and memory once ready. Figures come from the
# end-to-end test (internal/e2e TestExamples), which also asserts that the
# rebuild reused the dependency layer. Not a timed test: figures vary with
# the machine; compare them with each other and with the seeds' figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/engine.sh >/dev/null
/usr/bin/docker builder prune -af >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
go test ./internal/e2e -run 'TestExamples$' -count=1 -v -timeout 20m >"$log" 2>&1 || { cat "$log"; exit 1; }
echo "| example | image | cold build | rebuild after a source change | start to healthy | stop on SIGTERM | memory |"
echo "|---|---|---|---|---|---|---|"
sed -n 's/.*BENCH \([^ ]*\) size_mb=\([^ ]*\) build_s=\([^ ]*\) rebuild_s=\([^ ]*\) healthy_ms=\([^ ]*\) stop_ms=\([^ ]*\) memory_mb=\([^ ]*\)/| \1 | \2 MB | \3 s | \4 s | \5 ms | \6 ms | \7 MB |/p' "$log"
