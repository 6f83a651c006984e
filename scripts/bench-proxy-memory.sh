#!/usr/bin/env bash
# The proxy's memory with 1,000 concurrent keep-alive clients (issue 14's
# target: peak RSS under 100 MB), for shipshape-proxy, the binary the
# proxy's image runs, and for comparison `shipshape proxy` in shipshape's
# own binary, both built as the image builds its binary (CGO_ENABLED=0,
# -trimpath, -ldflags "-s -w"). Each of ROUNDS rounds (3) starts each
# binary afresh, the two alternating, over the same two backends; reads its
# RSS once it serves and before the clients come (idle); runs the clients
# for DURATION while sampling its private memory (RssAnon); then reads its
# peak RSS (VmHWM) and the pages of its binary it has mapped (RssFile).
# The figures are the medians. Peak RSS counts the binary's pages
# (file-backed, shared with any other process running the same file) as
# well as the proxy's own memory. The load average is printed before and
# after: the machine is shared. make bench-proxy runs this after its speed
# part; it also runs alone.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
image_build() { CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/$1" "$2"; }
image_build shipshape-proxy ./cmd/shipshape-proxy
image_build shipshape ./cmd/shipshape
go build -o "$work/loadgen" ./internal/loadgen/cmd/loadgen
go build -o "$work/backend" ./internal/loadgen/cmd/backend
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ready() { for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
B=$(free_port); B2=$(free_port)
"$work/backend" -listen "127.0.0.1:$B" -name backend & pids+=($!)
"$work/backend" -listen "127.0.0.1:$B2" -name backend & pids+=($!)
ready "$B" && ready "$B2" || { echo "bench-proxy-memory: the backends do not answer" >&2; exit 1; }

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$2/status"; }

# measure NAME COMMAND...: one round of one binary; appends a JSON line
# (KB, and the load generator's figures) to $work/NAME.jsonl.
measure() {
  local name=$1 port pid lg anon=0 a idle idle_file hwm file
  shift
  port=$(free_port)
  cat >"$work/state-$name.json" <<STATE
{"routes": [{"prefix": "/", "service": "app"}],
 "services": [{"name": "app", "health": {"path": "/", "interval": 1000000000},
   "targets": [{"url": "http://127.0.0.1:$B"}, {"url": "http://127.0.0.1:$B2"}]}]}
STATE
  "$@" --listen "127.0.0.1:$port" --admin "unix://$work/admin-$name.sock" --state "$work/state-$name.json" \
    --access-log=false 2>>"$work/$name.log" &
  pid=$!; pids+=($pid)
  ready "$port" || { echo "bench-proxy-memory: $name does not serve:" >&2; cat "$work/$name.log" >&2; exit 1; }
  sleep 1
  idle=$(kb VmRSS "$pid"); idle_file=$(kb RssFile "$pid")
  "$work/loadgen" -url "http://127.0.0.1:$port/" -c 1000 -d "$DURATION" >"$work/thousand.json" &
  lg=$!
  while kill -0 "$lg" 2>/dev/null; do
    a=$(kb RssAnon "$pid"); [ "$a" -gt "$anon" ] && anon=$a
    sleep 0.2
  done
  wait "$lg"
  hwm=$(kb VmHWM "$pid"); file=$(kb RssFile "$pid")
  kill -TERM "$pid"; wait "$pid" || true
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"idle": int(sys.argv[2]), "idle_file": int(sys.argv[3]), "peak": int(sys.argv[4]),
                  "private": int(sys.argv[5]), "file": int(sys.argv[6]), "rps": r["rps"], "failures": r["failures"]}))' \
    "$work/thousand.json" "$idle" "$idle_file" "$hwm" "$anon" "$file" >>"$work/$name.jsonl"
}

for _ in $(seq "$ROUNDS"); do
  measure shipshape-proxy "$work/shipshape-proxy"
  measure shipshape "$work/shipshape" proxy
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work" "$ROUNDS" "$DURATION" "$load_before" "$load_after" <<'PY'
import json, os, statistics, sys
work, rounds, duration, before, after = sys.argv[1:6]
rows = [("shipshape-proxy (the image's binary)", "shipshape-proxy"), ("shipshape proxy", "shipshape")]
print(f"Memory, 1,000 keep-alive clients for {duration}, median of {rounds} runs each (load average {before} before, {after} after):")
print("| binary | size | idle RSS | peak RSS (VmHWM) | private peak (RssAnon) | binary's pages at the end (RssFile) | requests/s | failed |")
print("|---|---|---|---|---|---|---|---|")
summary, each = {}, []
for label, name in rows:
    runs = [json.loads(l) for l in open(os.path.join(work, name + ".jsonl"))]
    med = {k: statistics.median(r[k] for r in runs) for k in ("idle", "idle_file", "peak", "private", "file", "rps")}
    fails = sum(r["failures"] for r in runs)
    size = os.path.getsize(os.path.join(work, name)) / 1e6
    mb = lambda kb: kb / 1024
    print(f"| {label} | {size:.0f} MB | {mb(med['idle']):.0f} MB ({mb(med['idle_file']):.0f} MB of it the binary's pages) | "
          f"{mb(med['peak']):.0f} MB | {mb(med['private']):.0f} MB | {mb(med['file']):.0f} MB | {med['rps']:.0f} | {fails} |")
    peaks = ", ".join("%.0f" % mb(r["peak"]) for r in runs)
    each.append(f"{name}: peak RSS of each run {peaks} MB")
    summary[name] = {"size_mb": round(size, 1), "idle_mb": round(mb(med["idle"])), "peak_rss_mb": round(mb(med["peak"])),
                     "private_mb": round(mb(med["private"])), "failures": fails}
print("\n".join(each))
peak = summary["shipshape-proxy"]["peak_rss_mb"]
print(f"shipshape-proxy peak RSS {peak} MB at 1,000 clients: target < 100 MB {'met' if peak < 100 else 'NOT met'}")
print("bench-proxy memory summary: " + json.dumps(summary))
PY
