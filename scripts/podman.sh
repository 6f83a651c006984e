#!/usr/bin/env bash
# Podman beside Docker, for the end-to-end tests that prove build, verify
# and deploy on Podman's Docker-compatible API (internal/e2e/podman_test.go).
#
#   scripts/podman.sh start   install (once), configure, start the API service
#                             if it does not answer, move the test base images in
#   scripts/podman.sh stop    stop the API service this script started
#   scripts/podman.sh status  exit 0 when the service answers
#
# What runs: Debian's podman 4.3.1 (rootful) serving the Docker API with
# `podman system service --time=0` on a socket of its own,
# unix:///run/shipshape-podman/podman.sock, so Podman's usual
# /run/podman/podman.sock (or a systemd socket unit) is left alone. Point a
# client at it with DOCKER_HOST=unix:///run/shipshape-podman/podman.sock.
#
# What this machine needs, in /etc/containers/containers.conf.d/shipshape.conf
# (read by the service and by the podman CLI alike, so `podman build` and
# the API share one configuration and one store):
#   - explicit ulimits: root here lacks CAP_SYS_RESOURCE, and Podman's
#     default rlimits for a container (nofile 1048576) exceed the hard
#     limits it may raise to, so every container fails "error setting rlimit
#     type 7: operation not permitted". The container gets this shell's hard
#     limits, which it may always take (nproc at most 32768, which Podman
#     sets for itself);
#   - cgroup_manager "cgroupfs" and events_logger "file": there is no
#     systemd here (its default for both);
#   - default_subnet 10.87.0.0/16: Podman's default network is 10.88.0.0/16,
#     and the real Kubernetes node (scripts/kube-node.sh) routes its pods'
#     10.88.0.0/24 over cni0, a more specific route that swallows a Podman
#     container's published port ("connect: no route to host").
# Storage: the overlay driver on /var/lib/containers/storage, written to
# /etc/containers/storage.conf when no such file exists (Debian ships none,
# and Podman would pick a driver by itself). Root on ext4 with d_type has
# the kernel's overlay natively ("Native Overlay Diff: true"): layers are
# shared, not copied. vfs works anywhere but copies every layer whole for
# each image and container, gigabytes for the golang builder, on a disk
# with a few GB to spare; fuse-overlayfs is for rootless Podman.
#
# Health checks: Podman schedules a container's HEALTHCHECK with systemd
# timers, and there is no systemd here ("unable to get systemd connection
# to add healthchecks"), so nothing runs them by itself. shipshape runs
# them itself through the libpod API while it waits for a container
# (internal/engine/podman.go); other clients see "starting" for ever.
#
# Images: `docker save | podman load` of the base images the tests build
# from, unless Podman already holds the same image ID.
#
# Log: /var/cache/shipshape/podman.log.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN=/run/shipshape-podman
SOCK=$RUN/podman.sock
PIDFILE=$RUN/podman.pid
CACHE=${SHIPSHAPE_ENGINE_CACHE:-/var/cache/shipshape}
LOG=$CACHE/podman.log
CONF=/etc/containers/containers.conf.d/shipshape.conf
STORAGE_CONF=/etc/containers/storage.conf
DOCKER=/usr/bin/docker
# The images the Podman end-to-end tests build from and diagnose with.
IMAGES="golang:1.26.8-bookworm gcr.io/distroless/static-debian12:nonroot debian:bookworm-slim"

say() { echo "podman: $*"; }
die() { echo "podman: $*" >&2; exit 1; }

answers() { curl -sf --max-time 5 --unix-socket "$SOCK" http://podman/_ping >/dev/null 2>&1; }

[ "$(id -u)" = 0 ] || die "needs root (to install podman and run its rootful API service)"

case "${1:-start}" in
status)
  answers && { say "answers on unix://$SOCK"; exit 0; }
  say "not answering on unix://$SOCK"
  exit 1
  ;;
stop)
  if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 50); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.1; done
    say "stopped the API service"
  else
    say "no API service of this script's runs"
  fi
  rm -f "$PIDFILE" "$SOCK"
  exit 0
  ;;
start) ;;
*) die "usage: scripts/podman.sh start|stop|status" ;;
esac

# --- package ------------------------------------------------------------------
if ! command -v podman >/dev/null 2>&1; then
  say "installing Debian's podman"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman >/dev/null; } ||
    die "apt-get install podman failed"
fi
command -v curl >/dev/null || die "curl is needed to ask the API service whether it answers"

# --- configuration --------------------------------------------------------------
limit() { # limit NAME HARD: "NAME=HARD:HARD", or nothing when unlimited
  [ "$2" = unlimited ] || printf '"%s=%s:%s"' "$1" "$2" "$2"
}
# Podman lowers its own nproc to 32768 when it starts, and runc cannot give
# a container more than the process that starts it holds.
nproc=$(ulimit -Hu)
[ "$nproc" != unlimited ] && [ "$nproc" -le 32768 ] || nproc=32768
ulimits=$(limit nofile "$(ulimit -Hn)")
nproc=$(limit nproc "$nproc")
[ -z "$nproc" ] || ulimits="${ulimits:+$ulimits, }$nproc"
want=$(cat <<EOF
# Written by shipshape's scripts/podman.sh: what Podman needs on this machine.
[containers]
default_ulimits = [$ulimits]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
default_subnet = "10.87.0.0/16"
EOF
)
changed=false
if [ "$(cat "$CONF" 2>/dev/null)" != "$want" ]; then
  mkdir -p "$(dirname "$CONF")"
  printf '%s\n' "$want" >"$CONF"
  changed=true
fi
if [ ! -e "$STORAGE_CONF" ]; then
  cat >"$STORAGE_CONF" <<'EOF'
# Written by shipshape's scripts/podman.sh: the kernel's overlay, which
# root has natively on this file system.
[storage]
driver = "overlay"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
EOF
  changed=true
fi
# --- API service ----------------------------------------------------------------
mkdir -p "$RUN" "$CACHE"
if $changed && [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  say "configuration changed: restarting the API service"
  kill "$(cat "$PIDFILE")"
  for _ in $(seq 50); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.1; done
fi
if ! answers; then
  driver=$(podman info --format '{{.Store.GraphDriverName}}' 2>>"$LOG") || die "podman info failed (see $LOG)"
  [ "$driver" = overlay ] || die "podman's storage driver is $driver, not overlay: see $STORAGE_CONF"
  say "starting the API service on unix://$SOCK (log: $LOG)"
  rm -f "$SOCK"
  # setsid: the service outlives this script and the shell that ran it.
  setsid podman system service --time=0 "unix://$SOCK" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 100); do answers && break; sleep 0.1; done
  answers || { tail -20 "$LOG" >&2; die "the API service did not answer on $SOCK"; }
fi
version=$(curl -s --unix-socket "$SOCK" http://podman/version | grep -oE '"Name":"Podman Engine","Version":"[^"]+"' | grep -oE '[0-9][0-9.]*' || true)
say "podman ${version:-?} answers on unix://$SOCK"

# --- images -------------------------------------------------------------------
for image in $IMAGES; do
  id=$($DOCKER image inspect -f '{{.Id}}' "$image" 2>/dev/null) || die "Docker has no $image: run scripts/engine.sh first"
  if [ "sha256:$(podman image inspect -f '{{.Id}}' "$image" 2>/dev/null)" != "$id" ]; then
    say "moving $image from Docker into Podman"
    $DOCKER save "$image" | podman load >>"$LOG" 2>&1 || die "docker save $image | podman load failed (see $LOG)"
  fi
  echo "  $image  (${id:7:12})"
done
say ready
