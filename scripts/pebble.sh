#!/usr/bin/env bash
# Let's Encrypt's test ACME server, pebble, on 127.0.0.1 for the proxy's
# automatic TLS (internal/e2e/proxy_acme_test.go), idempotently:
#
#   scripts/pebble.sh build    build pebble and pebble-challtestsrv $VERSION
#                              from the Go module proxy (once, cached by
#                              version; ~30 s cold) and make the TLS
#                              certificate of pebble's own API (once);
#                              prints the paths, as `paths` does
#   scripts/pebble.sh paths    print BIN= (the two binaries), CA= (the CA of
#                              pebble's API certificate, for a client's
#                              trust: `shipshape proxy --acme-ca-cert`),
#                              CERT= and KEY= (that certificate and key)
#   scripts/pebble.sh start    build if needed, then start, when not
#                              already answering, pebble-challtestsrv as
#                              the DNS server pebble asks (every name is
#                              127.0.0.1, no AAAA) and pebble, whose
#                              validation connects to 127.0.0.1:$HTTP_PORT
#                              (HTTP-01) and 127.0.0.1:$TLS_PORT
#                              (TLS-ALPN-01): run the proxy with
#                              --http-listen and --listen there
#   scripts/pebble.sh stop     stop what `start` started
#   scripts/pebble.sh status   exit 0 when pebble's directory answers
#
# The test starts pebbles of its own from the built binaries (it stops one
# mid-test, to make a renewal fail); `start` is for trying the proxy by
# hand: the directory is https://127.0.0.1:$PORT/dir, pebble's root CA (a
# new one every start) https://127.0.0.1:$MGMT_PORT/roots/0.
#
# Ports, all on 127.0.0.1 (environment): SHIPSHAPE_PEBBLE_PORT (14000, the
# ACME API), SHIPSHAPE_PEBBLE_MGMT_PORT (15000), SHIPSHAPE_PEBBLE_HTTP_PORT
# (5002), SHIPSHAPE_PEBBLE_TLS_PORT (5001), SHIPSHAPE_PEBBLE_DNS_PORT
# (8053) and SHIPSHAPE_PEBBLE_DNS_MGMT_PORT (8055). Certificates live
# SHIPSHAPE_PEBBLE_VALIDITY seconds (7776000: 90 days, as Let's Encrypt's).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=v2.10.3
CACHE=${SHIPSHAPE_PEBBLE_CACHE:-/var/cache/shipshape/pebble}
BIN=$CACHE/bin/pebble-$VERSION
TLS=$CACHE/tls
RUN=${SHIPSHAPE_PEBBLE_RUN:-/run/shipshape-pebble}
PORT=${SHIPSHAPE_PEBBLE_PORT:-14000}
MGMT_PORT=${SHIPSHAPE_PEBBLE_MGMT_PORT:-15000}
HTTP_PORT=${SHIPSHAPE_PEBBLE_HTTP_PORT:-5002}
TLS_PORT=${SHIPSHAPE_PEBBLE_TLS_PORT:-5001}
DNS_PORT=${SHIPSHAPE_PEBBLE_DNS_PORT:-8053}
DNS_MGMT_PORT=${SHIPSHAPE_PEBBLE_DNS_MGMT_PORT:-8055}
VALIDITY=${SHIPSHAPE_PEBBLE_VALIDITY:-7776000}

say() { echo "pebble: $*"; }
die() {
  echo "pebble: $*" >&2
  exit 1
}

paths() {
  echo "BIN=$BIN"
  echo "CA=$TLS/ca.pem"
  echo "CERT=$TLS/cert.pem"
  echo "KEY=$TLS/key.pem"
}

build() {
  if [ ! -x "$BIN/pebble" ] || [ ! -x "$BIN/pebble-challtestsrv" ]; then
    local t0=$SECONDS
    mkdir -p "$BIN.tmp"
    # go install pkg@version builds outside any module, from the module
    # proxy, at exactly that version.
    GOBIN="$BIN.tmp" GOFLAGS=-buildvcs=false go install \
      "github.com/letsencrypt/pebble/v2/cmd/pebble@$VERSION" \
      "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv@$VERSION" ||
      die "go install github.com/letsencrypt/pebble/v2/cmd/...@$VERSION failed (is the Go module proxy reachable?)"
    rm -rf "$BIN"
    mv "$BIN.tmp" "$BIN"
    say "built pebble and pebble-challtestsrv $VERSION in $((SECONDS - t0)) s: $BIN"
  fi
  if [ ! -s "$TLS/cert.pem" ]; then
    # pebble's module ships a certificate for its API that expires in
    # 2027; this one is ours, for ten years.
    mkdir -p "$TLS.tmp"
    chmod 0700 "$TLS.tmp"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=shipshape pebble API test CA" -keyout "$TLS.tmp/ca.key" -out "$TLS.tmp/ca.pem" 2>/dev/null ||
      die "openssl could not make the test CA"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
      -keyout "$TLS.tmp/key.pem" -out "$TLS.tmp/cert.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$TLS.tmp/ext"
    openssl x509 -req -in "$TLS.tmp/cert.csr" -CA "$TLS.tmp/ca.pem" -CAkey "$TLS.tmp/ca.key" -CAcreateserial \
      -days 3650 -extfile "$TLS.tmp/ext" -out "$TLS.tmp/cert.pem" 2>/dev/null ||
      die "openssl could not sign pebble's API certificate"
    rm -rf "$TLS"
    mv "$TLS.tmp" "$TLS"
  fi
}

answers() {
  curl -fsS --max-time 5 --cacert "$TLS/ca.pem" "https://127.0.0.1:$PORT/dir" >/dev/null 2>&1
}

stop_pid() {
  local file=$RUN/$1.pid pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

case "${1:-start}" in
build)
  build
  paths
  exit 0
  ;;
paths)
  paths
  exit 0
  ;;
status)
  answers && { say "answers on https://127.0.0.1:$PORT/dir"; exit 0; }
  say "not answering on 127.0.0.1:$PORT"
  exit 1
  ;;
stop)
  stop_pid pebble
  stop_pid challtestsrv
  say "stopped"
  exit 0
  ;;
start) ;;
*) die "usage: scripts/pebble.sh build|paths|start|stop|status" ;;
esac

build
if answers; then
  say "already answers on https://127.0.0.1:$PORT/dir"
  exit 0
fi
mkdir -p "$RUN"
stop_pid pebble # one that no longer answers
stop_pid challtestsrv
cat >"$RUN/pebble.json" <<EOF
{
  "pebble": {
    "listenAddress": "127.0.0.1:$PORT",
    "managementListenAddress": "127.0.0.1:$MGMT_PORT",
    "certificate": "$TLS/cert.pem",
    "privateKey": "$TLS/key.pem",
    "httpPort": $HTTP_PORT,
    "tlsPort": $TLS_PORT,
    "keyAlgorithm": "ecdsa",
    "profiles": {"default": {"description": "shipshape's tests", "validityPeriod": $VALIDITY}}
  }
}
EOF
setsid "$BIN/pebble-challtestsrv" -dnsserver "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$DNS_MGMT_PORT" \
  -defaultIPv4 127.0.0.1 -defaultIPv6 "" -http01 "" -https01 "" -tlsalpn01 "" -doh "" \
  <&- >"$RUN/challtestsrv.log" 2>&1 &
echo $! >"$RUN/challtestsrv.pid"
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 setsid "$BIN/pebble" -config "$RUN/pebble.json" \
  -dnsserver "127.0.0.1:$DNS_PORT" <&- >"$RUN/pebble.log" 2>&1 &
echo $! >"$RUN/pebble.pid"
for _ in $(seq 100); do answers && break; sleep 0.1; done
answers || die "pebble did not answer on 127.0.0.1:$PORT within 10 s (see $RUN/pebble.log)"
say "answers on https://127.0.0.1:$PORT/dir (root CA: https://127.0.0.1:$MGMT_PORT/roots/0; log $RUN/pebble.log)"
