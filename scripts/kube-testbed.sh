#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for the end-to-end tests of
# `shipshape deploy --target kubernetes`, idempotently:
#
#   - kube-apiserver, kube-controller-manager and kube-scheduler v1.32.2 and
#     etcd v3.5.16, built from the Go module proxy (the pinned versions that
#     build here: ../shared/reference/kubernetes-testbed.md), and kwok v0.8.0,
#     which plays the nodes and the pods' lifecycle; the binaries are cached
#     by version (cold build ~7 min on 2 cores, then nothing); kubelet and
#     kube-proxy for the one real node (scripts/kube-node.sh) come from the
#     same module, built only when that script asks;
#   - certificates (a CA, the apiserver's, an admin client in system:masters)
#     made once with openssl;
#   - the processes, started when not already answering, with a kubeconfig
#     at $STATE/kubeconfig.
#
#   scripts/kube-testbed.sh             build if needed, start if needed, print the kubeconfig path
#   scripts/kube-testbed.sh build       only build the plane
#   scripts/kube-testbed.sh build node  only build kubelet and kube-proxy (scripts/kube-node.sh)
#   scripts/kube-testbed.sh paths       print CACHE=, BIN= and STATE= (the cache, the binaries, the state dir)
#   scripts/kube-testbed.sh stop        stop the plane (apiserver before etcd)
#
# Ports 2379/2380 (etcd), 6443 (apiserver), 10257/10259 are fixed: one plane
# per machine, shared by test runs. A running apiserver started with other
# flags than this script gives is restarted (its flags are kept in
# $STATE/kube-apiserver.args).
set -euo pipefail
cd "$(dirname "$0")/.."

K8S=v1.32.2
STAGING=v0.32.2
ETCD=v3.5.16
KWOK=v0.8.0
CACHE=${SHIPSHAPE_KUBE_CACHE:-/var/cache/shipshape/kube}
BIN=$CACHE/bin/k8s-$K8S-etcd-$ETCD-kwok-$KWOK
STATE=$CACHE/state
export GOFLAGS=-mod=mod

say() { echo "kube: $*"; }
die() { echo "kube: $*" >&2; exit 1; }

# build [plane|node]: the binaries of the plane (the default) or of the real
# node (kubelet, kube-proxy), those not yet in $BIN. Both come from one
# module and share Go's build cache: the node costs ~1 min once the plane
# is built.
build() {
  local want
  case ${1:-plane} in
    plane) want="kube-apiserver kube-controller-manager kube-scheduler etcd kwok" ;;
    node) want="kubelet kube-proxy" ;;
    *) die "build: unknown group ${1} (plane or node)" ;;
  esac
  local b k8s=() other=()
  for b in $want; do
    [ -x "$BIN/$b" ] && continue
    case $b in etcd | kwok) other+=("$b") ;; *) k8s+=("$b") ;; esac
  done
  [ ${#k8s[@]} = 0 ] && [ ${#other[@]} = 0 ] && return 0
  mkdir -p "$BIN" "$CACHE/build"
  local t0=$SECONDS
  [ ${#k8s[@]} = 0 ] || build_k8s "${k8s[@]}"
  for b in ${other[@]+"${other[@]}"}; do "build_$b"; done
  say "built$(printf ' %s' ${k8s[@]+"${k8s[@]}"} ${other[@]+"${other[@]}"}) in $((SECONDS - t0)) s: $BIN"
}

# build_k8s CMD...: commands of k8s.io/kubernetes, from a throwaway module
# that requires it and points every staging module at its published v0.x
# release. The module imports every command either group needs, so its
# go.sum is the same whichever group builds first.
build_k8s() {
  local mod=$CACHE/build/k8s-$K8S
  mkdir -p "$mod"
  local upstream
  upstream=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')
  [ -f "$upstream" ] || die "cannot download k8s.io/kubernetes@$K8S from the module proxy"
  (
    cd "$mod"
    rm -f go.mod go.sum
    go mod init shipshape.dev/kube-testbed >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@$K8S"
    go mod edit -json "$upstream" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    old = r["Old"]["Path"]
    if r["New"]["Path"].startswith("./staging/") and old not in ("k8s.io/sample-cli-plugin", "k8s.io/sample-controller"):
        print(old)
' | while read -r m; do go mod edit -replace="$m=$m@$STAGING"; done
    cat >tools.go <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
EOF
    go mod tidy >/dev/null 2>&1 || go mod tidy
    local minor=${K8S#v1.}; minor=${minor%%.*}
    local ld="-s -w" v c
    for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $v.gitVersion=$K8S -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
    done
    for c in "$@"; do
      say "building $c $K8S"
      CGO_ENABLED=0 go build -trimpath -ldflags "$ld" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c" || die "building $c failed"
      mv "$BIN/$c.tmp" "$BIN/$c"
    done
  )
}

# build_etcd: its server module's main package.
build_etcd() {
  local emod=$CACHE/build/etcd-$ETCD
  mkdir -p "$emod"
  (
    cd "$emod"
    rm -f go.mod go.sum
    go mod init shipshape.dev/etcd-build >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
    go mod tidy >/dev/null 2>&1 || go mod tidy
    say "building etcd $ETCD"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3 && mv "$BIN/etcd.tmp" "$BIN/etcd"
  )
}

build_kwok() {
  say "building kwok $KWOK"
  GOBIN=$CACHE/build/kwok-$KWOK CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK"
  mv "$CACHE/build/kwok-$KWOK/kwok" "$BIN/kwok"
}

# stages writes kwok's Stages: its own node and pod lifecycles, except that
# pods running an image tagged never-ready stay Pending (the bad-release
# tests) and pods of Jobs running an image tagged job-fails fail.
stages() {
  local src
  src=$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK/kustomize/stage
  [ -d "$src" ] || go mod download "sigs.k8s.io/kwok@$KWOK"
  python3 - "$src" >"$BIN/kwok-stages.yaml.tmp" <<'PY'
import sys
src = sys.argv[1]
never = """    - key: '.spec.containers.[0].image'
      operator: 'NotIn'
      values:
      - 'registry.invalid/shipshape-e2e:never-ready'
"""
fails = """    - key: '.spec.containers.[0].image'
      operator: 'NotIn'
      values:
      - 'registry.invalid/shipshape-e2e:job-fails'
"""
docs = []
for path, extra in [("node/fast/node-initialize.yaml", ""), ("node/heartbeat-with-lease/node-heartbeat-with-lease.yaml", ""),
                    ("pod/fast/pod-ready.yaml", never), ("pod/fast/pod-complete.yaml", fails), ("pod/fast/pod-delete.yaml", "")]:
    text = open(f"{src}/{path}").read()
    if extra:
        text = text.replace("    matchExpressions:\n", "    matchExpressions:\n" + extra, 1)
    if "node-initialize" in path:
        # Its addresses block writes only the missing kinds, and with no
        # node name (no Hostname) it writes an empty list over the IP.
        a = text.index("      {{ $hasInternalIP := false }}")
        b = text.index("      {{ with NodePort }}")
        text = text[:a] + "      addresses:\n      - address: {{ NodeIP | Quote }}\n        type: InternalIP\n\n" + text[b:]
    if "heartbeat" in path:
        # kwok's heartbeat rewrites a node's addresses as YAML of
        # themselves, which came out empty here: the API server then has no
        # address to reach the node's kubelet port (port-forward). Write
        # the node IP itself.
        a = text.index("      addresses:\n")
        b = text.index("      {{ with NodePort }}")
        text = text[:a] + "      addresses:\n      - address: {{ NodeIP | Quote }}\n        type: InternalIP\n\n" + text[b:]
    docs.append(text.strip() + "\n")
docs.append("""apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-job-fails
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.spec.containers.[0].image'
      operator: 'In'
      values:
      - 'registry.invalid/shipshape-e2e:job-fails'
  next:
    statusTemplate: |
      phase: Failed
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        state:
          terminated:
            exitCode: 1
            reason: Error
      {{ end }}
""")
# Port-forwards to any pod's port reach 127.0.0.1:18080 on this machine,
# where a test serves what the "pod" would (kwok runs no containers).
docs.append("""apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterPortForward
metadata:
  name: pods-to-localhost
spec:
  forwards:
  - target:
      port: 18080
      address: 127.0.0.1
""")
print("---\n".join(docs), end="")
PY
  mv "$BIN/kwok-stages.yaml.tmp" "$BIN/kwok-stages.yaml"
}

certs() {
  local d=$STATE/pki
  [ -f "$d/admin.crt" ] && return 0
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=shipshape-testbed-ca" 2>/dev/null
    cat >apiserver.ext <<'EOF'
subjectAltName = IP:127.0.0.1, IP:10.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc
extendedKeyUsage = serverAuth
EOF
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext 2>/dev/null
    printf 'extendedKeyUsage = clientAuth\n' >client.ext
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=shipshape-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  local b64
  b64() { base64 -w0 "$1"; }
  cat >"$STATE/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: $(b64 "$d/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$d/admin.crt")
    client-key-data: $(b64 "$d/admin.key")
contexts:
- name: testbed
  context: {cluster: testbed, user: admin}
current-context: testbed
EOF
}

# start NAME ARGS...: runs NAME from $BIN in the background, logging to $STATE/NAME.log.
start() {
  local name=$1; shift
  nohup "$BIN/$name" "$@" >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

# halt NAME: stops what start NAME started, waiting up to 10 s before SIGKILL.
halt() {
  if [ -f "$STATE/$1.pid" ]; then
    local pid
    pid=$(cat "$STATE/$1.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$1.pid"
}

wait_for() {
  local what=$1; shift
  for _ in $(seq 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "$what did not come up; see $STATE/*.log"
}

up() {
  build
  stages # cheap; the file follows this script
  mkdir -p "$STATE"
  certs
  local pki=$STATE/pki
  # curl with the admin's certificate: no kubectl needed.
  api() { curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
  if ! running etcd; then
    rm -rf "$STATE/etcd-data"
    start etcd --data-dir "$STATE/etcd-data" --listen-client-urls http://127.0.0.1:2379 \
      --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
      --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster default=http://127.0.0.1:2380 \
      --quota-backend-bytes 2147483648 --log-level warn
    wait_for etcd curl -fsS http://127.0.0.1:2379/health
  fi
  # --kubelet-client-*: logs, exec and port-forward through the API reach a
  # real node's kubelet (scripts/kube-node.sh), which trusts the testbed's
  # CA; the admin's certificate is as good as any it signed.
  local apiserver=(--etcd-servers=http://127.0.0.1:2379 --bind-address=127.0.0.1 --secure-port=6443
    --advertise-address=192.0.2.2 --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key"
    --client-ca-file="$pki/ca.crt" --service-account-key-file="$pki/sa.pub"
    --service-account-signing-key-file="$pki/sa.key"
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=Node,RBAC --allow-privileged=true
    --kubelet-preferred-address-types=InternalIP
    --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key")
  if running kube-apiserver && [ "$(cat "$STATE/kube-apiserver.args" 2>/dev/null)" != "${apiserver[*]}" ]; then
    say "restarting kube-apiserver: its flags changed"
    halt kube-apiserver
  fi
  if ! running kube-apiserver; then
    start kube-apiserver "${apiserver[@]}"
    printf '%s\n' "${apiserver[*]}" >"$STATE/kube-apiserver.args"
    wait_for kube-apiserver api https://127.0.0.1:6443/readyz
  fi
  if ! running kube-controller-manager; then
    start kube-controller-manager --kubeconfig="$STATE/kubeconfig" --leader-elect=false --bind-address=127.0.0.1 \
      --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" --use-service-account-credentials=false
  fi
  if ! running kube-scheduler; then
    start kube-scheduler --kubeconfig="$STATE/kubeconfig" --leader-elect=false --bind-address=127.0.0.1
  fi
  if ! running kwok; then
    start kwok --kubeconfig="$STATE/kubeconfig" --manage-all-nodes=false \
      --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --cidr=10.244.0.1/16 --node-ip=127.0.0.1 \
      --node-lease-duration-seconds=40 --node-port=10247 --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
      --config="$BIN/kwok-stages.yaml"
  fi
  # The fake node kwok plays (a conflict means it is there already).
  api -o /dev/null -X POST -H 'Content-Type: application/json' https://127.0.0.1:6443/api/v1/nodes -d \
    '{"apiVersion":"v1","kind":"Node","metadata":{"name":"kwok-node-0","annotations":{"kwok.x-k8s.io/node":"fake"},"labels":{"kubernetes.io/hostname":"kwok-node-0","type":"kwok"}}}' 2>/dev/null || true
  node_ready() {
    api https://127.0.0.1:6443/api/v1/nodes/kwok-node-0 | python3 -c '
import json, sys
conds = json.load(sys.stdin).get("status", {}).get("conditions") or []
sys.exit(0 if any(c["type"] == "Ready" and c["status"] == "True" for c in conds) else 1)'
  }
  wait_for "the kwok node" node_ready
  wait_for "the default service account" api https://127.0.0.1:6443/api/v1/namespaces/default/serviceaccounts/default
  say "ready: KUBECONFIG=$STATE/kubeconfig"
}

case "${1:-up}" in
  build) build "${2:-plane}" ;;
  up) up ;;
  paths) printf 'CACHE=%q\nBIN=%q\nSTATE=%q\n' "$CACHE" "$BIN" "$STATE" ;;
  stop)
    # In this order (the apiserver before etcd), each one gone before the next.
    for p in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do halt "$p"; done
    say "stopped" ;;
  *) die "usage: $0 [up|build [plane|node]|paths|stop]" ;;
esac
