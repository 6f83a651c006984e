#!/usr/bin/env bash
# An OpenSSH server on 127.0.0.1, the "remote host" the end-to-end test of
# remote hosts (internal/e2e/ssh_test.go) reaches over SSH.
#
#   scripts/sshd.sh start   install Debian's openssh-server (once), make the
#                           keys (once per state directory), start sshd when
#                           nothing answers on the port
#   scripts/sshd.sh stop    stop the sshd this script started, and the
#                           sessions still open on it
#   scripts/sshd.sh status  exit 0 when sshd answers
#
# Everything is its own: sshd runs with -f $RUN/sshd_config (not
# /etc/ssh/sshd_config), on 127.0.0.1:$PORT only (2222, or
# SHIPSHAPE_SSHD_PORT), with a throwaway ed25519 host key and one
# authorized client key (root, public key only), all under $RUN
# (/run/shipshape-sshd). The test reads:
#   $RUN/client_key        the client's private key
#   $RUN/host_key.pub      the host key the server presents
#   $RUN/port              the port
#   $RUN/remote/           a directory that is a tmpfs in sshd's own mount
#                          namespace only: a socket made there by a process
#                          started over SSH is not on this host's file
#                          system, so a client that reaches it reached it
#                          through sshd
#   $RUN/sshd.log          sshd's log (LogLevel DEBUG1, which records each
#                          connection accepted and each unix socket
#                          forwarded: the test counts them)
#
# sshd runs as root, in a mount namespace of its own (unshare) that differs
# from this host's by $RUN/remote alone; the network namespace is shared,
# so what a remote host's 127.0.0.1 would hide is not hidden here (see
# docs/releasing.md, Remote hosts).
set -euo pipefail

RUN=/run/shipshape-sshd
PORT=${SHIPSHAPE_SSHD_PORT:-2222}
PIDFILE=$RUN/sshd.pid
SSHD=/usr/sbin/sshd

say() { echo "sshd: $*"; }
die() { echo "sshd: $*" >&2; exit 1; }

answers() {
  # An SSH server greets first: "SSH-2.0-OpenSSH_9.2p1 ...".
  timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT && head -c 4 <&3" 2>/dev/null | grep -q '^SSH-'
}

running() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

[ "$(id -u)" = 0 ] || die "needs root (to install openssh-server and run sshd)"

case "${1:-start}" in
status)
  answers && { say "answers on 127.0.0.1:$PORT"; exit 0; }
  say "not answering on 127.0.0.1:$PORT"
  exit 1
  ;;
stop)
  if running; then
    pid=$(cat "$PIDFILE")
    # Each open connection has its own sshd process, a child of the
    # listener; they go first, then the listener.
    for child in $(pgrep -P "$pid" || true); do kill "$child" 2>/dev/null || true; done
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$PIDFILE"
    say "stopped"
  else
    say "not running (nothing to stop)"
  fi
  exit 0
  ;;
start) ;;
*) die "usage: scripts/sshd.sh start|stop|status" ;;
esac

if running && answers; then
  say "already answers on 127.0.0.1:$PORT"
  exit 0
fi
if answers; then
  die "something else answers on 127.0.0.1:$PORT: stop it, or set SHIPSHAPE_SSHD_PORT"
fi

if [ ! -x "$SSHD" ]; then
  say "installing openssh-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends openssh-server >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends openssh-server >/dev/null; } ||
    die "apt-get install openssh-server failed"
fi

mkdir -p "$RUN/remote" /run/sshd # /run/sshd: sshd's privilege separation directory
chmod 0700 "$RUN"
[ -f "$RUN/host_key" ] || ssh-keygen -q -t ed25519 -N '' -C shipshape-sshd-host -f "$RUN/host_key"
[ -f "$RUN/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C shipshape-sshd-client -f "$RUN/client_key"
cp "$RUN/client_key.pub" "$RUN/authorized_keys"
echo "$PORT" >"$RUN/port"

cat >"$RUN/sshd_config" <<EOF
# scripts/sshd.sh writes this file on every start.
ListenAddress 127.0.0.1
Port $PORT
HostKey $RUN/host_key
PidFile $PIDFILE
AuthorizedKeysFile $RUN/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
LogLevel DEBUG1
EOF
"$SSHD" -t -f "$RUN/sshd_config" || die "sshd rejects $RUN/sshd_config"

rm -f "$PIDFILE"
# The tmpfs on $RUN/remote exists in sshd's mount namespace only, and
# sshd's sessions inherit the namespace. sshd stays in the foreground (-D)
# in a session of its own: its daemon() insists on /dev/null being the
# character device, which a container's /dev does not always keep.
setsid unshare --mount --propagation private sh -c '
  mount -t tmpfs -o mode=0700,size=16m shipshape-sshd-remote "$1/remote" &&
  exec "$2" -D -f "$1/sshd_config" -E "$1/sshd.log"' sh "$RUN" "$SSHD" <&- >>"$RUN/sshd.log" 2>&1 &

for _ in $(seq 50); do answers && break; sleep 0.1; done
answers || die "sshd did not answer on 127.0.0.1:$PORT within 5 s (see $RUN/sshd.log)"
say "answers on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), state $RUN)"
