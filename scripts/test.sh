#!/usr/bin/env bash
# Every test: formatting, vet, the real Docker engine the end-to-end tests
# need (scripts/engine.sh: installed and started here, idempotently), Podman's
# Docker-compatible API beside it (scripts/podman.sh, idempotent too),
# Debian's chromium for the browser smoke check (scripts/browser.sh), Let's
# Encrypt's test ACME server pebble for the proxy's automatic TLS
# (scripts/pebble.sh: built from the Go module proxy once, cached), a real
# Kubernetes control plane on 127.0.0.1 (scripts/kube-testbed.sh: built from
# the Go module proxy once, cached, started in seconds) with one real node
# beside it for this run only (scripts/kube-node.sh: stopped at the end), the
# whole Go test suite (unit, fixture, golden, CLI and engine end-to-end, fuzz
# seed corpora) and the main job end to end.
# Prints a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; failed=1
fi

echo "== go vet"
go vet ./... || failed=1

echo "== engine (scripts/engine.sh)"
if ! scripts/engine.sh; then
  echo "test: the Docker engine could not be set up; the end-to-end tests will fail" >&2
  failed=1
fi

echo "== disk"
# The end-to-end tests build some hundred images and need several GB free;
# Docker's build cache grows with every run (35 GB after a few days here).
# Short of room, the run fails far from the cause (the Kubernetes node's
# pods are never scheduled: disk-pressure), so the cache is cut back first.
root=$(docker info -f '{{.DockerRootDir}}' 2>/dev/null || echo /var/lib/docker)
free_gb() { df -Pk "$root" 2>/dev/null | awk 'NR==2 {printf "%d", $4 / 1048576}'; }
free=$(free_gb)
if [ -n "$free" ] && [ "$free" -lt 12 ]; then
  echo "disk: $free GB free under $root; cutting Docker's build cache to 8 GB (docker builder prune --keep-storage 8GB)"
  docker builder prune -f --keep-storage 8GB >/dev/null 2>&1 || true
  free=$(free_gb)
  [ -z "$free" ] || [ "$free" -ge 6 ] || echo "test: only $free GB free under $root; the end-to-end tests may fail for want of room" >&2
fi
echo "disk: ${free:-?} GB free under $root"

echo "== Podman (scripts/podman.sh)"
if ! scripts/podman.sh start; then
  echo "test: Podman's API service could not be set up; the Podman end-to-end tests will fail" >&2
  failed=1
fi

echo "== browser (scripts/browser.sh)"
if ! scripts/browser.sh; then
  echo "test: Debian's chromium could not be installed; the browser smoke check's tests will fail" >&2
  failed=1
fi

echo "== pebble (scripts/pebble.sh)"
# Built here; the ACME tests start and stop pebbles of their own from it.
if ! scripts/pebble.sh build >/dev/null; then
  echo "test: pebble could not be built; the proxy's automatic TLS tests will fail" >&2
  failed=1
fi

echo "== Kubernetes testbed (scripts/kube-testbed.sh)"
if ! scripts/kube-testbed.sh; then
  echo "test: the Kubernetes control plane could not be set up; the kubernetes end-to-end tests will fail" >&2
  failed=1
fi

echo "== Kubernetes node (scripts/kube-node.sh)"
# This run holds the node; stopped after go test, or here if the run ends early.
trap 'scripts/kube-node.sh stop $$ >/dev/null 2>&1' EXIT
if ! scripts/kube-node.sh start $$; then
  echo "test: the real Kubernetes node could not be set up; its end-to-end tests will fail" >&2
  failed=1
fi

echo "== SSH server (scripts/sshd.sh)"
# The remote host of the SSH tests; stopped after go test (or here if the
# run ends early) when this run started it.
sshd_started=0
if scripts/sshd.sh status >/dev/null 2>&1; then
  echo "sshd: already answers (left running after this run)"
elif scripts/sshd.sh start; then
  sshd_started=1
else
  echo "test: the SSH server could not be set up; the remote-host end-to-end test will fail" >&2
  failed=1
fi

echo "== go test"
log=$(mktemp)
trap 'rm -f "$log"; scripts/kube-node.sh stop $$ >/dev/null 2>&1; [ "$sshd_started" = 0 ] || scripts/sshd.sh stop >/dev/null 2>&1' EXIT
# The timeout is per package; the end-to-end package took 14 min in a warm CI run,
# 20 on a cold, loaded machine, 26.4 once it held twelve real repositories
# (2026-12-02), and 45.5 on a cold machine on 2026-12-06 (every module and
# npm package downloaded again by its builds). 62 lets a slow but healthy
# cold run finish and keeps a hang bounded inside CI's 90 minutes, after a
# set-up of about 15 (cold; 27.5 when its steps were overlapped).
go test -count=1 -timeout 62m -v ./... >"$log" 2>&1
test_status=$?
# Package lines and failures only; the full log is long. A failed run
# keeps it, for a failed test's whole output.
grep -E '^(ok|FAIL|---|panic:|\s+--- FAIL)|_test\.go:[0-9]+:' "$log" | grep -v -- '--- PASS' || true
mkdir -p .cache
# Every top-level test's time, slowest first, kept for the next look at
# where the run's time goes.
grep -E '^--- (PASS|FAIL): ' "$log" | sed -E 's/^--- [A-Z]+: ([^ ]+) \(([0-9.]+)s\)$/\2 \1/' | sort -rn >.cache/test-times.txt || true
if [ "$test_status" -ne 0 ]; then
  failed=1
  cp "$log" .cache/go-test.log && echo "test: the whole go test log is in .cache/go-test.log"
fi
echo "slowest tests (all in .cache/test-times.txt):"
head -n 8 .cache/test-times.txt | awk '{printf "  %6.1f s  %s\n", $1, $2}' || true
scripts/kube-node.sh stop $$ || failed=1
if [ "$sshd_started" = 1 ]; then
  scripts/sshd.sh stop || failed=1
  sshd_started=0
fi

echo "== main job (scripts/demo.sh)"
if ! scripts/demo.sh >"$log.demo" 2>&1; then
  cat "$log.demo"; failed=1
else
  tail -n 1 "$log.demo"
fi
rm -f "$log.demo"

passed=$(grep -cE '^\s*--- PASS' "$log" || true)
fails=$(grep -cE '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
echo
echo "${passed} passed, ${fails} failed, ${skipped} skipped"
if [ "$skipped" -ne 0 ]; then
  echo "test: a test was skipped; nothing may be skipped" >&2
  failed=1
fi
exit "$failed"
