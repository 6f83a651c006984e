#!/usr/bin/env bash
# One real Kubernetes node beside the testbed's control plane
# (scripts/kube-testbed.sh), for the end-to-end tests that need pods that
# really run: kubelet runs the probes, a Service's ClusterIP and a NodePort
# on 127.0.0.1 carry traffic, logs and exec go through the API. kwok's fake
# node stays for what it is good at (many nodes, pods that never run).
# Recipe and pitfalls: ../shared/reference/kubernetes-real-node.md.
#
#   scripts/kube-node.sh start [PID]    build if needed, start if needed; the process PID (a
#                                       test run) holds the node while it lives, and without
#                                       PID it is held by hand, until a stop without PID
#   scripts/kube-node.sh stop [PID]     let go of PID's hold (without PID: the hold by hand);
#                                       once no hold is left, everything the node started or
#                                       changed is removed
#   scripts/kube-node.sh stop --force   the same, whoever holds it
#   scripts/kube-node.sh status         what runs; exit 0 when the node is Ready
#   scripts/kube-node.sh load IMAGE...  copy Docker images into the node's containerd, which
#                                       pulls nothing: docker save IMAGE |
#                                       ctr -a SOCK -n k8s.io images import --all-platforms -
#
# The node, all of it its own and none of it Docker's:
#   - a second containerd (Debian's, which docker.io brings) with its own
#     config, root, state, runc root and socket;
#   - kubelet and kube-proxy v1.32.2 from `scripts/kube-testbed.sh build
#     node` (the testbed's module and cache; ~1 min once the plane is built);
#   - a CNI bridge cni0 over 10.88.0.0/24 (Debian's containernetworking-plugins);
#   - a pause image built here from a Go program, FROM scratch.
# It registers as shipshape-node with the label shipshape.dev/real-node=true
# and the taint shipshape.dev/real-node=true:NoSchedule, so only pods with
# the toleration and a nodeSelector land on it; tests written for kwok never
# do. Tests read $STATE/node.json (next to the kubeconfig): the node's name,
# labels, taints and containerd socket.
#
# stop drains the pods through the API while kubelet still runs (so CNI DEL
# runs), then removes what is the node's alone: its processes and shims,
# kube-proxy's rules (kube-proxy --cleanup), the KUBE-*/CNI-* chains, cni0,
# the kubepods cgroups, mounts under its run dir, kubelet's files outside its
# root dir, the Node object; it restores the sysctls kubelet and kube-proxy
# set. One node per machine: ports 10248-10250, 10256 and cni0 are fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=shipshape-node
KEY=shipshape.dev/real-node
POD_CIDR=10.88.0.0/24
SERVICE_CIDR=10.0.0.0/24 # the apiserver's --service-cluster-ip-range
PAUSE=shipshape.dev/pause:1
DOCKER=/usr/bin/docker
# What kubelet (vm.*, kernel.*), kube-proxy (route_localnet) and the bridge
# plugin (ip_forward) may change; saved at start, restored at stop.
SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.ipv4.ip_forward"
# kubelet writes these whatever its root dir (device plugins, container log
# links), libcni its result cache: removed at stop if the node created them.
OUTSIDE="/var/lib/kubelet /var/lib/kubelet/device-plugins /var/log/containers /var/log/pods /var/lib/cni /var/lib/cni/results"

say() { echo "kube-node: $*"; }
die() { echo "kube-node: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (containerd, kubelet, iptables)"
eval "$(scripts/kube-testbed.sh paths)" # CACHE, BIN, STATE
NODE=$STATE/node # certificates, configuration, logs, pid files
ETC=$NODE/etc
RUN=$NODE/run # containerd's and kubelet's data: removed at stop
SOCK=$RUN/containerd.sock
[ ${#SOCK} -lt 100 ] || die "$SOCK is too long for a unix socket: set SHIPSHAPE_KUBE_CACHE to a shorter directory"
PKI=$STATE/pki

api() { curl -fsS --max-time 10 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$@"; }
ctr_() { ctr -a "$SOCK" "$@"; }

# --- processes ----------------------------------------------------------------

# running NAME: the process start NAME started is alive (its command line
# names our config dir, so a recycled pid does not count).
running() {
  local pid
  pid=$(cat "$NODE/$1.pid" 2>/dev/null) || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$ETC/"
}

# start NAME CMD...: in its own session (a Ctrl-C of the test run reaches
# stop, not the node's processes first), logging to $NODE/NAME.log, without
# the lock (fd 9) this script holds.
start() {
  local name=$1; shift
  setsid "$@" >>"$NODE/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$NODE/$name.pid"
}

# halt NAME: SIGTERM, up to 15 s, then SIGKILL.
halt() {
  if running "$1"; then
    local pid
    pid=$(cat "$NODE/$1.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$NODE/$1.pid"
}

wait_for() {
  local what=$1 tries=$2; shift 2
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "$what did not come up; see $NODE/*.log"
}

# --- holders: the test runs using the node, and whoever started it by hand ------

# started PID: the process's start time, which tells it from a later one
# with the same pid.
started() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

hold() {
  mkdir -p "$NODE/holders"
  if [ "$1" = by-hand ]; then
    touch "$NODE/holders/by-hand"
    return 0
  fi
  local t
  t=$(started "$1") || return 0
  [ -n "$t" ] || return 0
  echo "$t" >"$NODE/holders/$1"
}

# holders: the live ones, one a line (a pid, or by-hand); dead ones are
# forgotten.
holders() {
  local f pid
  for f in "$NODE"/holders/*; do
    [ -f "$f" ] || continue
    pid=${f##*/}
    if [ "$pid" = by-hand ]; then
      echo "$pid"
    elif [ -n "$(started "$pid")" ] && [ "$(started "$pid")" = "$(cat "$f")" ]; then
      echo "$pid"
    else
      rm -f "$f"
    fi
  done
}

# --- what the node needs once ---------------------------------------------------

packages() {
  local missing=() pkg
  for pkg in containerd runc containernetworking-plugins iptables; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} = 0 ] && return 0
  say "installing ${missing[*]} (log: $NODE/apt.log)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$NODE/apt.log" 2>&1 ||
    { apt-get update -q >>"$NODE/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$NODE/apt.log" 2>&1; } ||
    die "apt-get install ${missing[*]} failed; see $NODE/apt.log"
}

# pause: the sandbox image, a static Go program in an image FROM scratch
# (nothing can be pulled here), saved once as a tar in the cache.
pause_image() {
  PAUSE_TAR=$CACHE/bin/pause-${PAUSE##*:}.tar
  [ -f "$PAUSE_TAR" ] && return 0
  $DOCKER info >/dev/null 2>&1 || die "building the pause image needs Docker: run scripts/engine.sh"
  local dir=$CACHE/build/pause
  mkdir -p "$dir"
  cat >"$dir/main.go" <<'EOF'
// pause holds a pod's namespaces: it reaps what dies in them and exits on
// SIGINT or SIGTERM.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			if pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
EOF
  printf 'module shipshape.dev/pause\n\ngo 1.21\n' >"$dir/go.mod"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$dir/Dockerfile"
  say "building the pause image"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o pause .) || die "building pause failed"
  DOCKER_BUILDKIT=1 $DOCKER build -q -t "$PAUSE" "$dir" >/dev/null || die "docker build of $PAUSE failed"
  $DOCKER save "$PAUSE" -o "$PAUSE_TAR.tmp" && mv "$PAUSE_TAR.tmp" "$PAUSE_TAR"
  $DOCKER rmi "$PAUSE" >/dev/null
}

# cert NAME SUBJECT: a client certificate signed by the testbed's CA, made
# again when the CA changed.
cert() {
  local d=$NODE/pki
  mkdir -p "$d"
  if [ -f "$d/$1.crt" ] && openssl verify -CAfile "$PKI/ca.crt" "$d/$1.crt" >/dev/null 2>&1; then
    return 0
  fi
  printf 'extendedKeyUsage = clientAuth\n' >"$d/client.ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$d/$1.key" -out "$d/$1.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$d/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -CAserial "$d/ca.srl" \
    -out "$d/$1.crt" -days 3650 -extfile "$d/client.ext" 2>/dev/null
  CHANGED="$CHANGED $1.crt"
}

# put FILE: stdin into FILE only when it differs (kube-proxy exits whenever
# its config file is rewritten, even unchanged); CHANGED names the files
# that did, so that up restarts what reads them.
CHANGED=
put() {
  local tmp
  tmp=$(mktemp "$1.XXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1" && CHANGED="$CHANGED ${1##*/}"; fi
}

kubeconfig() { # USER
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: "$PKI/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$NODE/pki/$1.crt", client-key: "$NODE/pki/$1.key"}
contexts:
- name: testbed
  context: {cluster: testbed, user: $1}
current-context: testbed
EOF
}

configure() {
  mkdir -p "$ETC/cni" "$RUN"
  cert kubelet "/O=system:nodes/CN=system:node:$NAME"
  cert kube-proxy "/CN=system:kube-proxy"
  kubeconfig kubelet | put "$ETC/kubelet.kubeconfig"
  kubeconfig kube-proxy | put "$ETC/kube-proxy.kubeconfig"
  put "$ETC/containerd.toml" <<EOF
version = 2
root = "$RUN/containerd/root"
state = "$RUN/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

[grpc]
  address = "$SOCK"

[plugins."io.containerd.internal.v1.opt"]
  path = "$RUN/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE"
  stream_server_address = "127.0.0.1"
  # root here lacks CAP_SYS_RESOURCE: runc cannot set a negative oom_score_adj.
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$ETC/cni"
    max_conf_num = 1
EOF
  # No loopback plugin: containerd brings lo up itself. firewall lets pod
  # traffic through Docker's FORWARD DROP.
  put "$ETC/cni/10-shipshape-node.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$NAME",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "dataDir": "$RUN/cni-ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "firewall", "backend": "iptables"}
  ]
}
EOF
  put "$ETC/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: "$NODE_IP"
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: AlwaysAllow}
# cgroup v1, PID 1 is not systemd.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: "unix://$SOCK"
podLogsDir: "$RUN/pod-logs"
registerWithTaints:
- {key: "$KEY", value: "true", effect: NoSchedule}
# A shared disk: kubelet must neither delete images nor evict pods because
# of what others keep on it. Absolute sizes, not shares: 1% of a large disk
# the host keeps nearly full for others (2.5 GB of 252 GB, with 1.7 GB
# left to this machine) tainted the node disk-pressure and no pod ran.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "256Mi", imagefs.available: "256Mi", nodefs.inodesFree: "1%"}
EOF
  # conntrack all zero: kube-proxy leaves the host's conntrack sysctls alone.
  put "$ETC/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: "$POD_CIDR"
hostnameOverride: "$NAME"
healthzBindAddress: "127.0.0.1:10256"
metricsBindAddress: "127.0.0.1:10249"
nodePortAddresses: ["127.0.0.0/8"]
clientConnection: {kubeconfig: "$ETC/kube-proxy.kubeconfig"}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

# remember: the sysctls and which of kubelet's outside paths exist, once per
# node lifetime (a node that crashed keeps what was there before it).
remember() {
  if [ ! -f "$NODE/sysctls" ]; then
    local k
    for k in $SYSCTLS; do
      [ -e "/proc/sys/${k//.//}" ] && echo "$k $(cat "/proc/sys/${k//.//}")"
    done >"$NODE/sysctls.tmp"
    mv "$NODE/sysctls.tmp" "$NODE/sysctls"
  fi
  if [ ! -f "$NODE/outside" ]; then
    local p
    for p in $OUTSIDE; do [ -e "$p" ] && echo "$p"; done >"$NODE/outside.tmp" || true
    mv "$NODE/outside.tmp" "$NODE/outside"
  fi
  # iptables-nft makes a table the first time a rule goes into it (kubelet's
  # and kube-proxy's mangle and IPv6 tables): the ones not here before go.
  if [ ! -f "$NODE/nft-tables" ]; then
    nft list tables >"$NODE/nft-tables.tmp" 2>/dev/null || true
    mv "$NODE/nft-tables.tmp" "$NODE/nft-tables"
  fi
}

# untable: the nftables tables made since remember, if no rule is left in them.
untable() {
  [ -f "$NODE/nft-tables" ] || return 0
  local family table
  nft list tables 2>/dev/null | while read -r _ family table; do
    grep -qxF "table $family $table" "$NODE/nft-tables" && continue
    if nft -j list table "$family" "$table" 2>/dev/null |
      python3 -c 'import json, sys; sys.exit(any("rule" in o for o in json.load(sys.stdin)["nftables"]))'; then
      nft delete table "$family" "$table" || true
    fi
  done || true
  rm -f "$NODE/nft-tables"
}

node_ready() {
  api "https://127.0.0.1:6443/api/v1/nodes/$NAME" | python3 -c '
import json, sys
conds = json.load(sys.stdin).get("status", {}).get("conditions") or []
sys.exit(0 if any(c["type"] == "Ready" and c["status"] == "True" for c in conds) else 1)'
}

# --- start ----------------------------------------------------------------------

up() {
  local t0=$SECONDS
  [ -f "$STATE/kubeconfig" ] && api https://127.0.0.1:6443/readyz >/dev/null 2>&1 ||
    die "the testbed's API server does not answer: run scripts/kube-testbed.sh first"
  packages
  scripts/kube-testbed.sh build node
  pause_image
  # The default route's source address (a lookup; nothing is sent).
  NODE_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
  [ -n "$NODE_IP" ] || die "no default route to take the node's address from (kubelet refuses 127.0.0.1)"
  if ! running containerd && ! running kubelet && ! running kube-proxy && [ -e "$RUN" ]; then
    say "clearing what an earlier node left"
    teardown
  fi
  configure
  remember
  # What runs with an older configuration or certificate starts again.
  local p f
  for p in containerd kubelet kube-proxy; do
    for f in $CHANGED; do
      case $f in "$p".* | "$p"-*) running "$p" && say "restarting $p: $f changed" && halt "$p" ;; esac
    done
  done

  if ! running containerd; then
    start containerd containerd --config "$ETC/containerd.toml"
    # ctr waits 10 s for a socket that is not there yet: look first.
    wait_for containerd 80 eval '[ -S "$SOCK" ] && ctr_ version'
  fi
  ctr_ -n k8s.io images ls -q | grep -qxF "$PAUSE" ||
    ctr_ -n k8s.io images import --all-platforms "$PAUSE_TAR" >/dev/null
  # ClusterIP packets kube-proxy has not rewritten die on the bridge rather
  # than leave by the default route.
  ip link show cni0 >/dev/null 2>&1 || ip link add cni0 type bridge
  ip link set cni0 up
  ip route replace "$SERVICE_CIDR" dev cni0

  if ! running kubelet; then
    start kubelet "$BIN/kubelet" --config="$ETC/kubelet.yaml" --kubeconfig="$ETC/kubelet.kubeconfig" \
      --root-dir="$RUN/kubelet" --cert-dir="$RUN/kubelet-pki" --hostname-override="$NAME" --node-ip="$NODE_IP" \
      --node-labels="$KEY=true"
  fi
  if ! running kube-proxy; then
    start kube-proxy "$BIN/kube-proxy" --config="$ETC/kube-proxy.yaml"
  fi
  wait_for "the node" 240 node_ready
  wait_for kube-proxy 120 curl -fsS --max-time 2 http://127.0.0.1:10256/healthz
  put "$STATE/node.json" <<EOF
{
  "name": "$NAME",
  "labels": {"$KEY": "true"},
  "taints": [{"key": "$KEY", "value": "true", "effect": "NoSchedule"}],
  "containerd": "$SOCK",
  "containerdNamespace": "k8s.io",
  "podCIDR": "$POD_CIDR",
  "load": "$(pwd)/scripts/kube-node.sh load"
}
EOF
  say "ready in $((SECONDS - t0)) s: node $NAME ($NODE_IP), containerd $SOCK, $STATE/node.json"
}

# --- stop -----------------------------------------------------------------------

# drain: every pod bound to the node deleted through the API while kubelet
# runs, so that it stops them and CNI DEL releases their addresses and rules.
drain() {
  api -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"spec":{"unschedulable":true}}' "https://127.0.0.1:6443/api/v1/nodes/$NAME" 2>/dev/null || return 0
  pods() {
    api "https://127.0.0.1:6443/api/v1/pods?fieldSelector=spec.nodeName%3D$NAME" |
      python3 -c 'import json, sys
for p in json.load(sys.stdin)["items"]:
    print(p["metadata"]["namespace"], p["metadata"]["name"])'
  }
  local ns pod
  pods | while read -r ns pod; do
    api -o /dev/null -X DELETE "https://127.0.0.1:6443/api/v1/namespaces/$ns/pods/$pod?gracePeriodSeconds=2" || true
  done || true
  for _ in $(seq 240); do
    [ -z "$(pods 2>/dev/null)" ] && return 0
    sleep 0.25
  done
  say "pods still on the node after 60 s; removing them the hard way"
}

# shims: containerd's shims serving our socket (they outlive containerd).
shims() {
  local d
  for d in /proc/[0-9]*; do
    tr '\0' '\n' 2>/dev/null <"$d/cmdline" | grep -qxF -- "$SOCK" && echo "${d#/proc/}"
  done
  return 0
}

# unchain: every KUBE-* and CNI-* chain in every table, and the rules that
# jump to them, for IPv4 and IPv6; Docker's chains are not touched.
unchain() {
  python3 - <<'PY'
import shlex, subprocess
OURS = ("KUBE-", "CNI-")
for cmd in ("iptables", "ip6tables"):
    try:
        out = subprocess.run([cmd + "-save"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        continue
    table, ours, jumps = None, [], []
    for line in out.splitlines():
        if line.startswith("*"):
            table = line[1:]
        elif line.startswith(":") and line[1:].startswith(OURS):
            ours.append((table, line[1:].split()[0]))
        elif line.startswith("-A "):
            args = shlex.split(line)
            target = next((args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-j", "-g")), "")
            if not args[1].startswith(OURS) and target.startswith(OURS):
                jumps.append((table, args[1:]))
    for table, rule in jumps:
        subprocess.run([cmd, "-w", "-t", table, "-D"] + rule, check=False)
    for flag in ("-F", "-X"):
        for table, chain in ours:
            subprocess.run([cmd, "-w", "-t", table, flag, chain], check=False, stderr=subprocess.DEVNULL)
PY
}

# mounts: mount points under $RUN, deepest first.
mounts() {
  awk -v run="$RUN" '{ m = $5; gsub(/\\040/, " ", m); if (m == run || index(m, run "/") == 1) print m }' /proc/self/mountinfo |
    sort -ru
}

teardown() {
  local t0=$SECONDS p
  running kubelet && drain
  halt kube-proxy
  [ -x "$BIN/kube-proxy" ] && "$BIN/kube-proxy" --cleanup >>"$NODE/kube-proxy.log" 2>&1 || true
  halt kubelet
  # What kubelet left stopped (its sandboxes, or pods the API could not
  # drain): their tasks and containers go, so the shims exit and remove
  # their sockets under /run/containerd/s.
  if running containerd; then
    local ns id
    for ns in $(ctr_ namespaces ls -q 2>/dev/null); do
      for id in $(ctr_ -n "$ns" tasks ls -q 2>/dev/null); do ctr_ -n "$ns" tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true; done
      for id in $(ctr_ -n "$ns" containers ls -q 2>/dev/null); do
        for _ in 1 2 3 4 5; do ctr_ -n "$ns" tasks delete -f "$id" >/dev/null 2>&1 && break; sleep 0.2; done
        ctr_ -n "$ns" containers delete "$id" >/dev/null 2>&1 || true
      done
    done
  fi
  halt containerd
  # Shims that would not go, and their sockets: /run/containerd/s/ holds
  # Docker's too, so only the ones named after our socket.
  for p in $(shims); do
    local args ns id
    args=$(tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline") || continue
    ns=$(echo "$args" | sed -n '/^-namespace$/{n;p}')
    id=$(echo "$args" | sed -n '/^-id$/{n;p}')
    kill -9 "$p" 2>/dev/null || true
    # containerd names a shim's socket sha256(address/namespace/id).
    if [ -n "$id" ]; then
      rm -f "/run/containerd/s/$(printf '%s' "$SOCK/$ns/$id" | sha256sum | cut -d' ' -f1)"
    fi
  done
  # The pods' cgroups (cgroupfs driver: kubepods under every hierarchy).
  local c
  for c in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$c" ] || continue
    for _ in 1 2 3 4 5; do
      find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$c" ] || break
      sleep 0.2
    done
  done
  for _ in 1 2 3; do
    for p in $(mounts); do umount "$p" 2>/dev/null || umount -l "$p" 2>/dev/null || true; done
  done
  [ -z "$(mounts)" ] || die "mounts left under $RUN, not removing it: $(mounts | tr '\n' ' ')"
  ip link del cni0 2>/dev/null || true
  unchain || say "removing the KUBE-* and CNI-* chains failed; see iptables-save"
  untable
  if [ -f "$NODE/sysctls" ]; then
    local k v
    while read -r k v; do sysctl -qw "$k=$v" || say "could not restore $k=$v"; done <"$NODE/sysctls"
    rm -f "$NODE/sysctls"
  fi
  if [ -f "$NODE/outside" ]; then
    grep -qxF /var/lib/kubelet/device-plugins "$NODE/outside" || rm -rf /var/lib/kubelet/device-plugins
    [ -d /var/log/containers ] && find /var/log/containers -maxdepth 1 -type l -lname "$RUN/*" -delete
    [ -d /var/lib/cni/results ] && find /var/lib/cni/results -maxdepth 1 -name "$NAME-*" -delete
    for p in /var/log/pods /var/log/containers /var/lib/kubelet /var/lib/cni/results /var/lib/cni; do
      grep -qxF "$p" "$NODE/outside" || rmdir "$p" 2>/dev/null || true
    done
    rm -f "$NODE/outside"
  fi
  api -o /dev/null -X DELETE "https://127.0.0.1:6443/api/v1/nodes/$NAME" 2>/dev/null || true
  rm -rf "$RUN" "$STATE/node.json"
  say "stopped in $((SECONDS - t0)) s"
}

# --- commands -------------------------------------------------------------------

load() {
  [ $# -gt 0 ] || die "load: which images? scripts/kube-node.sh load IMAGE..."
  [ -S "$SOCK" ] && ctr_ version >/dev/null 2>&1 || die "the node does not run (no $SOCK): scripts/kube-node.sh start"
  local img
  for img in "$@"; do
    $DOCKER image inspect "$img" >/dev/null 2>&1 || die "load: Docker has no image $img"
    $DOCKER save "$img" | ctr_ -n k8s.io images import --all-platforms - >/dev/null || die "load: importing $img failed"
  done
}

status() {
  local p ok=0
  for p in containerd kubelet kube-proxy; do
    if running "$p"; then echo "$p: running (pid $(cat "$NODE/$p.pid"))"; else echo "$p: not running"; ok=1; fi
  done
  if node_ready 2>/dev/null; then echo "node $NAME: Ready"; else echo "node $NAME: not Ready"; ok=1; fi
  echo "holders: $(holders | paste -sd' ')"
  return $ok
}

mkdir -p "$NODE"
cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  start | stop)
    holder=${1:-by-hand}
    case $holder in
      by-hand) ;;
      --force) [ "$cmd" = stop ] || die "start takes a holder's process id, not --force" ;;
      *[!0-9]*) die "$cmd: a holder is a process id, not $holder" ;;
    esac
    exec 9>"$NODE/lock"
    flock 9
    ;;
esac
case $cmd in
  start)
    hold "$holder"
    up
    ;;
  stop)
    if [ "$holder" != --force ]; then
      rm -f "$NODE/holders/$holder"
      left=$(holders | paste -sd' ')
      if [ -n "$left" ]; then
        say "left running for its other holders: $left"
        exit 0
      fi
    fi
    rm -rf "$NODE/holders"
    if running containerd || running kubelet || running kube-proxy || [ -e "$RUN" ]; then
      teardown
    fi
    ;;
  status) status ;;
  load) load "$@" ;;
  *) die "usage: $0 start [PID] | stop [PID|--force] | status | load IMAGE..." ;;
esac
