#!/usr/bin/env bash
# Proxy benchmark: requests/s and p50/p99 latency to the same backend,
# direct, through nginx (Debian's package, started here with an equivalent
# keep-alive config) and through shipshape proxy, in the same run; then
# shipshape proxy's peak memory with 1,000 concurrent keep-alive clients.
# Figures are ratios against nginx measured in this run: timings on a
# shared machine are noisy. Access logs are off for both proxies.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONC=${CONC:-50}
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
B=$(free_port); N=$(free_port); P=$(free_port)

"$work/backend" -listen "127.0.0.1:$B" -name backend & pids+=($!)

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-body;
    proxy_temp_path $work/nginx-proxy;
    upstream app { server 127.0.0.1:$B; keepalive 256; }
    server {
        listen 127.0.0.1:$N;
        location / {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
CONF
"$NGINX" -c "$work/nginx.conf" -g 'daemon off;' & nginx_pid=$!; pids+=($nginx_pid)

cat >"$work/state.json" <<STATE
{"routes": [{"prefix": "/", "service": "app"}],
 "services": [{"name": "app", "health": {"path": "/", "interval": 1000000000}, "active": "http://127.0.0.1:$B"}]}
STATE
"$work/shipshape" proxy --listen "127.0.0.1:$P" --admin "unix://$work/admin.sock" --state "$work/state.json" --access-log=false 2>"$work/proxy.log" &
proxy_pid=$!; pids+=($proxy_pid)

for port in $B $N $P; do
  for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.1; done
done

run() { "$work/loadgen" -url "http://127.0.0.1:$1/" -c "$2" -d "$DURATION"; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# Warm up each path, then measure.
for port in $B $N $P; do "$work/loadgen" -url "http://127.0.0.1:$port/" -c "$CONC" -d 2s >/dev/null; done
# Three rounds, nginx and shipshape alternating, each figure the median:
# a noisy neighbour then hits both alike.
median() { python3 -c '
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}
out["failures"] = sum(r["failures"] for r in runs)
print(json.dumps(out))' "$@"; }
d=(); n=(); o=()
# CPU time per request (user + system, every process of the proxy): the
# steadier figure on a shared machine.
ticks() { local t=0; for p in "$@" $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
nt=0; nr=0; ot=0; orq=0
for _ in 1 2 3; do
  d+=("$(run "$B" "$CONC")")
  t0=$(ticks "$nginx_pid"); r=$(run "$N" "$CONC"); nt=$((nt + $(ticks "$nginx_pid") - t0)); n+=("$r"); nr=$((nr + $(field "$r" requests)))
  t0=$(ticks "$proxy_pid"); r=$(run "$P" "$CONC"); ot=$((ot + $(ticks "$proxy_pid") - t0)); o+=("$r"); orq=$((orq + $(field "$r" requests)))
done
direct=$(median "${d[@]}"); nginx=$(median "${n[@]}"); ours=$(median "${o[@]}")
hz=$(getconf CLK_TCK)

echo "| path ($CONC keep-alive clients, median of 3 runs of $DURATION) | requests/s | p50 ms | p99 ms | failed |"
echo "|---|---|---|---|---|"
for row in "direct:$direct" "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'):$nginx" "shipshape proxy:$ours"; do
  name=${row%%:\{*}; json=${row#*:}
  printf '| %s | %.0f | %.2f | %.2f | %s |\n' "$name" "$(field "$json" rps)" "$(field "$json" p50_ms)" "$(field "$json" p99_ms)" "$(field "$json" failures)"
done
python3 - "$nginx" "$ours" "$nt" "$nr" "$ot" "$orq" "$hz" <<'PY'
import json, sys
n, o = json.loads(sys.argv[1]), json.loads(sys.argv[2])
nt, nr, ot, orq, hz = (float(a) for a in sys.argv[3:8])
ncpu, ocpu = nt / hz / nr * 1e6, ot / hz / orq * 1e6
print(f"\nshipshape/nginx: throughput {o['rps']/n['rps']:.2f}x (target >= 0.8x), p99 {o['p99_ms']/max(n['p99_ms'],1e-9):.2f}x (target <= 1.5x)")
print(f"CPU per request: nginx {ncpu:.1f} us, shipshape proxy {ocpu:.1f} us ({ocpu/ncpu:.2f}x)")
PY

# Memory with 1,000 concurrent keep-alive clients.
# RSS counts the binary's own pages too (file-backed, shared with every
# process running it): the private part is what the clients cost.
"$work/loadgen" -url "http://127.0.0.1:$P/" -c 1000 -d "$DURATION" >"$work/thousand.json" &
lg=$!
anon=0
while kill -0 "$lg" 2>/dev/null; do
  a=$(awk '/RssAnon/ {print $2}' "/proc/$proxy_pid/status"); [ "$a" -gt "$anon" ] && anon=$a
  sleep 0.2
done
wait "$lg"; thousand=$(cat "$work/thousand.json")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$proxy_pid/status")
file=$(awk '/RssFile/ {print $2}' "/proc/$proxy_pid/status")
echo "shipshape proxy, 1,000 keep-alive clients: $(printf '%.0f' "$(field "$thousand" rps)") requests/s, $(field "$thousand" failures) failed, peak RSS $((hwm / 1024)) MB (target < 100 MB): private peak $((anon / 1024)) MB, the binary's own pages $((file / 1024)) MB"
