#!/usr/bin/env bash
# Proxy benchmark: requests/s, p50/p99 latency and CPU per request to the
# same two backends (replicas), through nginx (Debian's package, started
# here with an equivalent keep-alive config, with worker_processes auto and
# with 1 worker) and through shipshape proxy, in the same run; direct to
# one backend, to show what the load generator can do; then shipshape
# proxy's peak memory with 1,000 concurrent keep-alive clients. Figures are
# ratios against nginx measured in this run: timings on a shared machine
# are noisy. Access logs are off for both proxies. The memory part is
# scripts/bench-proxy-memory.sh (MEMORY=0 leaves it out, as
# scripts/bench-proxy-compare.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONC=${CONC:-50}
MEMORY=${MEMORY:-1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || {
  echo "bench-proxy: installing Debian's nginx-light" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; }
}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

go build -o "$work/shipshape" ./cmd/shipshape
go build -o "$work/loadgen" ./internal/loadgen/cmd/loadgen
go build -o "$work/backend" ./internal/loadgen/cmd/backend
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
B=$(free_port); B2=$(free_port); N=$(free_port); N1=$(free_port); P=$(free_port); P1=$(free_port)

# Two replicas of the app: both proxies balance over them, so the proxy's
# balancer and its per-target counters (what a canary is judged on) are in
# the path.
"$work/backend" -listen "127.0.0.1:$B" -name backend & pids+=($!)
"$work/backend" -listen "127.0.0.1:$B2" -name backend & pids+=($!)

# Each proxy twice, on all cores and on one: nginx with worker_processes
# auto (one worker per core, 2 on the project's machine; what nginx's own
# package ships) and with 1 worker; shipshape proxy as it runs (one Go
# process on every core: GOMAXPROCS is the core count) and with
# GOMAXPROCS=1. The pairs compared are all cores with all cores (the
# headline: what a user runs) and one core with one core (what earlier
# notes called "nginx 1 worker").
# nginx_conf WORKERS PORT NAME (scripts/bench-nginx.sh).
. "$(dirname "$0")/bench-nginx.sh"
nginx_conf auto "$N" auto; nginx_conf 1 "$N1" one
"$NGINX" -c "$work/nginx-auto.conf" -g 'daemon off;' & nginx_pid=$!; pids+=($nginx_pid)
"$NGINX" -c "$work/nginx-one.conf" -g 'daemon off;' & nginx1_pid=$!; pids+=($nginx1_pid)

cat >"$work/state.json" <<STATE
{"routes": [{"prefix": "/", "service": "app"}],
 "services": [{"name": "app", "health": {"path": "/", "interval": 1000000000},
   "targets": [{"url": "http://127.0.0.1:$B"}, {"url": "http://127.0.0.1:$B2"}]}]}
STATE
cp "$work/state.json" "$work/state1.json"
"$work/shipshape" proxy --listen "127.0.0.1:$P" --admin "unix://$work/admin.sock" --state "$work/state.json" --access-log=false 2>"$work/proxy.log" &
proxy_pid=$!; pids+=($proxy_pid)
GOMAXPROCS=1 "$work/shipshape" proxy --listen "127.0.0.1:$P1" --admin "unix://$work/admin1.sock" --state "$work/state1.json" --access-log=false 2>"$work/proxy1.log" &
proxy1_pid=$!; pids+=($proxy1_pid)

for port in $B $B2 $N $N1 $P $P1; do
  for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.1; done
done
state=$(curl -fsS --unix-socket "$work/admin.sock" http://proxy/v1/state) || {
  # Say why, not just that: the proxies' logs and whether they still run.
  echo "bench-proxy: shipshape proxy's admin API does not answer (pid $proxy_pid $(kill -0 "$proxy_pid" 2>/dev/null && echo running || echo gone)); its log:" >&2
  cat "$work/proxy.log" >&2; exit 1; }
targets=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["services"][0]["targets"]))' <<<"$state")
[ "$targets" = 2 ] || { echo "bench-proxy: the proxy serves $targets targets, want 2" >&2; exit 1; }

run() { "$work/loadgen" -url "http://127.0.0.1:$1/" -c "$2" -d "$DURATION"; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# Warm up each path, then measure.
for port in $B $N $N1 $P $P1; do "$work/loadgen" -url "http://127.0.0.1:$port/" -c "$CONC" -d 2s >/dev/null; done
# Three rounds, the paths alternating, each figure the median: a noisy
# neighbour then hits all alike.
median() { python3 -c '
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
out["failures"] = sum(r["failures"] for r in runs)
out["requests"] = sum(r["requests"] for r in runs)
print(json.dumps(out))' "$@"; }
# CPU time (user + system) of one proxy, read from /proc for its own
# processes only (nginx: the master and its workers): the steadier figure
# on a shared machine. The load generator and the backends are not in it.
ticks() { local t=0; for p in "$1" $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
declare -A res cpu
for path in direct nginx nginx1 ours ours1; do res[$path]=""; cpu[$path]=0; done
measure() { # path port pid
  local t0 r
  t0=$( [ -n "$3" ] && ticks "$3" || echo 0)
  r=$(run "$2" "$CONC")
  [ -n "$3" ] && cpu[$1]=$((${cpu[$1]} + $(ticks "$3") - t0))
  res[$1]="${res[$1]} $r"
}
for _ in 1 2 3; do
  measure direct "$B" ""
  measure nginx "$N" "$nginx_pid"
  measure nginx1 "$N1" "$nginx1_pid"
  measure ours "$P" "$proxy_pid"
  measure ours1 "$P1" "$proxy1_pid"
done
declare -A med
for path in direct nginx nginx1 ours ours1; do
  # shellcheck disable=SC2086 # one JSON document per word
  med[$path]=$(median ${res[$path]})
done
hz=$(getconf CLK_TCK)
version=$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')

echo "| path ($CONC keep-alive clients, median of 3 runs of $DURATION) | requests/s | p50 ms | p99 ms | CPU per request | failed |"
echo "|---|---|---|---|---|---|"
for row in "direct to one backend:direct" "nginx $version, worker_processes auto ($(nproc) workers):nginx" "shipshape proxy:ours" "nginx $version, 1 worker:nginx1" "shipshape proxy, GOMAXPROCS=1:ours1"; do
  name=${row%:*}; path=${row##*:}; json=${med[$path]}
  us="-"
  [ "$path" != direct ] && us=$(python3 -c "print(f'{$((${cpu[$path]})) / $hz / $(field "$json" requests) * 1e6:.1f} us')")
  printf '| %s | %.0f | %.2f | %.2f | %s | %s |\n' "$name" "$(field "$json" rps)" "$(field "$json" p50_ms)" "$(field "$json" p99_ms)" "$us" "$(field "$json" failures)"
done
summary=$(python3 - "${med[nginx]}" "${med[ours]}" "${cpu[nginx]}" "${cpu[ours]}" "${med[nginx1]}" "${med[ours1]}" "${cpu[nginx1]}" "${cpu[ours1]}" <<'PY'
import json, sys
def ratios(ref, o, cref, co):
    ref, o, cref, co = json.loads(ref), json.loads(o), float(cref), float(co)
    return {"throughput": round(o["rps"] / ref["rps"], 3), "p99": round(o["p99_ms"] / max(ref["p99_ms"], 1e-9), 3),
            "cpu": round((co / o["requests"]) / (cref / ref["requests"]), 3)}
print(json.dumps({"all_cores": ratios(*sys.argv[1:5]), "one_core": ratios(*sys.argv[5:9])}))
PY
)
python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
for key, name in (("all_cores", "all cores: shipshape proxy / nginx auto"), ("one_core", "one core: shipshape proxy GOMAXPROCS=1 / nginx 1 worker")):
    r = s[key]
    print(f"{name}: throughput {r['throughput']:.2f}x (target >= 1.0x), p99 {r['p99']:.2f}x (target <= 1.2x), CPU per request {r['cpu']:.2f}x (target <= 1.3x)")
PY

echo "bench-proxy summary: $summary"

# Memory with 1,000 concurrent keep-alive clients, of shipshape-proxy (the
# binary the proxy's image runs) and of shipshape proxy, each started
# afresh for it.
kill "$proxy_pid" "$proxy1_pid" "$nginx_pid" "$nginx1_pid" 2>/dev/null || true
[ "$MEMORY" = 0 ] || scripts/bench-proxy-memory.sh
