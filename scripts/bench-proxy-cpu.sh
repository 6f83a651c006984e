#!/usr/bin/env bash
# CPU per request of two proxies measured side by side, at the same time,
# on the same core: the steadier comparison on a shared 2-core machine
# (docs/performance.md, "The proxy"). Each proxy is one core's worth
# (nginx with 1 worker, shipshape-proxy with GOMAXPROCS=1), both pinned to
# CPU 0; the two backends (replicas, so the balancer and the per-target
# counters are in the path), and one load generator per proxy, are pinned
# to CPU 1. Each round loads both proxies at once for DURATION with CONC
# keep-alive clients each, and reads each proxy's user + system time from
# /proc. The backends answer both alike, so the two proxies serve about
# the same requests/s, and whatever else runs on the machine in that
# round (another engineer's build, the hypervisor) hits both at once.
# Rounds alternating in order of start. Prints each round (with the load
# average and the share of CPU 0 taken by other processes) and the median
# of the per-round ratio second / first.
#
# Requests/s and latency are printed but are not a comparison here: the
# two share the backends and a core. scripts/bench-proxy.sh measures those.
#
#   scripts/bench-proxy-cpu.sh                 # nginx 1 worker, then this tree's proxy
#   scripts/bench-proxy-cpu.sh COMMIT .        # the proxy at COMMIT, then this tree's
#   scripts/bench-proxy-cpu.sh nginx COMMIT    # nginx, then the proxy at COMMIT
#   scripts/bench-proxy-cpu.sh nginx floor     # nginx, then evfloor: the least a
#                                              # Go proxy costs built as nginx is
#                                              # (internal/loadgen/cmd/evfloor)
#
# Env: ROUNDS (8), DURATION (4, seconds), CONC (50), LOADGEN (wrk, or
# loadgen: the project's Go client, which leaves the backends' core busier).
set -euo pipefail
. "$(dirname "$0")/bench-nginx.sh"
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-8}
DURATION=${DURATION:-4}
CONC=${CONC:-50}
LOADGEN=${LOADGEN:-wrk}
[ $# -eq 0 ] && set -- nginx .
[ $# -eq 2 ] || { echo "usage: $0 [nginx|floor|COMMIT|. nginx|floor|COMMIT|.]" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "bench-proxy-cpu: needs 2 cores (proxies on CPU 0, the rest on CPU 1)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

need() { # command package
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] || {
    echo "bench-proxy-cpu: installing Debian's $2" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
  }
}
need nginx nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ "$LOADGEN" = wrk ] && need wrk wrk
go build -o "$work/backend" ./internal/loadgen/cmd/backend
go build -o "$work/loadgen" ./internal/loadgen/cmd/loadgen
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
B=$(free_port); B2=$(free_port)
taskset -c 1 "$work/backend" -listen "127.0.0.1:$B" -name backend & pids+=($!)
taskset -c 1 "$work/backend" -listen "127.0.0.1:$B2" -name backend & pids+=($!)

names=() ports=() ppids=()
start() { # index what
  local i=$1 what=$2 port name
  port=$(free_port)
  if [ "$what" = nginx ]; then
    name="nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), 1 worker"
    nginx_conf 1 "$port" "$i"
    taskset -c 0 "$NGINX" -c "$work/nginx-$i.conf" -g 'daemon off;' & ppids+=($!); pids+=($!)
  elif [ "$what" = floor ]; then
    name="evfloor (one thread around epoll, a measurement)"
    go build -o "$work/evfloor" ./internal/loadgen/cmd/evfloor
    taskset -c 0 "$work/evfloor" -listen "127.0.0.1:$port" -backend "127.0.0.1:$B" -backend2 "127.0.0.1:$B2" 2>"$work/evfloor.log" & ppids+=($!); pids+=($!)
  else
    local src=.
    if [ "$what" != . ]; then
      name="shipshape-proxy $(git rev-parse --short "$what"), GOMAXPROCS=1"
      src="$work/src-$i"; mkdir "$src"
      git archive "$what" | tar -x -C "$src"
    else
      name="shipshape-proxy (this tree), GOMAXPROCS=1"
    fi
    (cd "$src" && go build -o "$work/proxy-$i" ./cmd/shipshape-proxy)
    cat >"$work/state-$i.json" <<STATE
{"routes": [{"prefix": "/", "service": "app"}],
 "services": [{"name": "app", "health": {"path": "/", "interval": 1000000000},
   "targets": [{"url": "http://127.0.0.1:$B"}, {"url": "http://127.0.0.1:$B2"}]}]}
STATE
    GOMAXPROCS=1 taskset -c 0 "$work/proxy-$i" --listen "127.0.0.1:$port" --admin "unix://$work/admin-$i.sock" \
      --state "$work/state-$i.json" --access-log=false 2>"$work/proxy-$i.log" & ppids+=($!); pids+=($!)
  fi
  names+=("$name"); ports+=("$port")
}
start 0 "$1"
start 1 "$2"
for port in "$B" "$B2" "${ports[@]}"; do
  for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.1; done
done

load() { # port seconds out
  if [ "$LOADGEN" = wrk ]; then
    taskset -c 1 wrk -t1 -c"$CONC" -d"$2s" --latency "http://127.0.0.1:$1/" >"$3"
  else
    taskset -c 1 "$work/loadgen" -url "http://127.0.0.1:$1/" -c "$CONC" -d "$2s" >"$3"
  fi
}
ticks() { local t=0; for p in "$1" $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
busy0() { awk '/^cpu0 /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
# Warm up both.
load "${ports[0]}" 2 /dev/null & w=$!; load "${ports[1]}" 2 /dev/null; wait $w

: >"$work/rounds.jsonl"
for r in $(seq "$ROUNDS"); do
  # Alternate which is started first.
  a=$(( (r + 1) % 2 )); b=$(( r % 2 ))
  la=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(ticks "${ppids[0]}"); t1=$(ticks "${ppids[1]}"); c0=$(busy0)
  load "${ports[$a]}" "$DURATION" "$work/out-$a" & w=$!
  load "${ports[$b]}" "$DURATION" "$work/out-$b"
  wait $w
  t0=$(( $(ticks "${ppids[0]}") - t0 )); t1=$(( $(ticks "${ppids[1]}") - t1 )); c0=$(( $(busy0) - c0 ))
  python3 - "$LOADGEN" "$work/out-0" "$work/out-1" "$t0" "$t1" "$c0" "$la" "$(getconf CLK_TCK)" "$DURATION" "$r" <<'PY' | tee -a "$work/rounds.jsonl"
import json, re, sys
kind, f0, f1 = sys.argv[1:4]
t0, t1, c0 = map(int, sys.argv[4:7]); la, hz, dur, rnd = sys.argv[7], int(sys.argv[8]), float(sys.argv[9]), int(sys.argv[10])
def ms(s):
    m = re.match(r'([\d.]+)(us|ms|s)$', s)
    return float(m.group(1)) * {'us': 1e-3, 'ms': 1, 's': 1e3}[m.group(2)]
def read(f):
    t = open(f).read()
    if kind != 'wrk':
        return json.loads(t)
    failures = sum(int(x) for x in re.findall(r'(?:connect|read|write|timeout) (\d+)', t))
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
    return {"requests": int(re.search(r'(\d+) requests in', t).group(1)), "rps": float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1)),
            "p99_ms": ms(re.search(r'\s99%\s+(\S+)', t).group(1)), "failures": failures + (int(m.group(1)) if m else 0)}
r0, r1 = read(f0), read(f1)
us0, us1 = t0 / hz / r0["requests"] * 1e6, t1 / hz / r1["requests"] * 1e6
print(json.dumps({"round": rnd, "load": la, "cpu0_others": round((c0 - t0 - t1) / hz / dur, 2),
    "rps": [round(r0["rps"]), round(r1["rps"])], "us_per_request": [round(us0, 1), round(us1, 1)],
    "failures": r0["failures"] + r1["failures"], "ratio": round(us1 / us0, 3)}))
PY
done
python3 - "$work/rounds.jsonl" "${names[0]}" "${names[1]}" "$ROUNDS" "$DURATION" "$CONC" "$LOADGEN" <<'PY'
import json, statistics, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
a, b = sys.argv[2], sys.argv[3]
ratios = sorted(r["ratio"] for r in rs)
med = lambda k, i: statistics.median(r[k][i] for r in rs)
print(f"CPU per request, {sys.argv[4]} rounds of {sys.argv[5]} s, {sys.argv[6]} clients each ({sys.argv[7]}), side by side on CPU 0:")
print(f"  {a}: {med('us_per_request', 0):.1f} us (median), {med('rps', 0):.0f} requests/s")
print(f"  {b}: {med('us_per_request', 1):.1f} us (median), {med('rps', 1):.0f} requests/s")
print(f"  failed requests: {sum(r['failures'] for r in rs)}")
print(f"bench-proxy-cpu: {b} / {a}: {statistics.median(ratios):.3f}x (rounds {', '.join(f'{x:.2f}' for x in (r['ratio'] for r in rs))}; spread {ratios[-1] - ratios[0]:.2f})")
PY
