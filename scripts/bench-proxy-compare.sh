#!/usr/bin/env bash
# Compares the proxy's speed at two or more commits the way
# docs/performance.md reports a change: each commit exported with git
# archive, all measured by this tree's scripts/bench-proxy.sh (its speed
# part only, MEMORY=0), RUNS times each, interleaved (first, second, ...,
# first, second, ...), so that a neighbour's load hits all alike. Prints
# every run's ratios to nginx with the load average, then the medians.
#
#   RUNS=3 scripts/bench-proxy-compare.sh COMMIT COMMIT...
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: RUNS=3 $0 COMMIT COMMIT..." >&2; exit 2; }
runs=${RUNS:-3}
commits=()
for c in "$@"; do commits+=("$(git rev-parse --short "$c")"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "${commits[@]}"; do
  mkdir "$work/$c"
  git archive "$c" | tar -x -C "$work/$c"
  cp scripts/bench-proxy.sh scripts/bench-nginx.sh "$work/$c/scripts/"
done
for i in $(seq "$runs"); do
  for c in "${commits[@]}"; do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    out=$(cd "$work/$c" && MEMORY=0 scripts/bench-proxy.sh 2>&1) || { echo "$out" >&2; exit 1; }
    summary=$(sed -n 's/^bench-proxy summary: //p' <<<"$out")
    # CPU per request of nginx auto, shipshape proxy, nginx 1 worker, GOMAXPROCS=1.
    us=$(grep -E '^\| (shipshape proxy|nginx)' <<<"$out" | awk -F'|' '{gsub(/^ +| +$/, "", $6); printf "%s%s", sep, $6; sep=", "}')
    echo "{\"run\": $i, \"commit\": \"$c\", \"load\": \"$load\", \"us_per_request\": \"$us\", \"ratios\": $summary}" | tee -a "$work/runs.jsonl"
  done
done
python3 - "$work/runs.jsonl" "${commits[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
for c in sys.argv[2:]:
    mine = [r for r in runs if r["commit"] == c]
    for cores in ("all_cores", "one_core"):
        parts = []
        for k in ("throughput", "p99", "cpu"):
            vals = [r["ratios"][cores][k] for r in mine]
            parts.append(f"{k} {statistics.median(vals):.2f}x ({', '.join(f'{v:.2f}' for v in vals)})")
        print(f"{c} {cores}: " + ", ".join(parts))
PY
