#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for the end-to-end tests of
# `shipshape deploy --target kubernetes`, idempotently:
#
#   - kube-apiserver, kube-controller-manager and kube-scheduler v1.32.2 and
#     etcd v3.5.16, built from the Go module proxy (the pinned versions that
#     build here: ../shared/reference/kubernetes-testbed.md), and kwok v0.8.0,
#     which plays the nodes and the pods' lifecycle; the binaries are cached
#     by version (cold build ~7 min on 2 cores, then nothing);
#   - certificates (a CA, the apiserver's, an admin client in system:masters)
#     made once with openssl;
#   - the processes, started when not already answering, with a kubeconfig
#     at $STATE/kubeconfig.
#
#   scripts/kube-testbed.sh          build if needed, start if needed, print the kubeconfig path
#   scripts/kube-testbed.sh build    only build
#   scripts/kube-testbed.sh stop     stop the plane (apiserver before etcd)
#
# Ports 2379/2380 (etcd), 6443 (apiserver), 10257/10259 are fixed: one plane
# per machine, shared by test runs.
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

build() {
  local need=0
  for b in kube-apiserver kube-controller-manager kube-scheduler etcd kwok; do
    [ -x "$BIN/$b" ] || need=1
  done
  [ $need = 0 ] && return 0
  mkdir -p "$BIN" "$CACHE/build"
  local t0=$SECONDS

  # The control plane: a throwaway module that requires k8s.io/kubernetes and
  # points every staging module at its published v0.x release.
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
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
    go mod tidy >/dev/null 2>&1 || go mod tidy
    local minor=${K8S#v1.}; minor=${minor%%.*}
    local ld="-s -w"
    for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $v.gitVersion=$K8S -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
    done
    for c in kube-apiserver kube-controller-manager kube-scheduler; do
      say "building $c $K8S"
      CGO_ENABLED=0 go build -trimpath -ldflags "$ld" -o "$BIN/$c.tmp" "k8s.io/kubernetes/cmd/$c" && mv "$BIN/$c.tmp" "$BIN/$c"
    done
  )

  # etcd: its server module's main package.
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

  say "building kwok $KWOK"
  GOBIN=$CACHE/build/kwok-$KWOK CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK"
  mv "$CACHE/build/kwok-$KWOK/kwok" "$BIN/kwok"
  say "built in $((SECONDS - t0)) s: $BIN"
}

case "${1:-up}" in
  build) build; exit 0 ;;
  up) ;;
  stop)
    for p in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
      [ -f "$STATE/$p.pid" ] && kill "$(cat "$STATE/$p.pid")" 2>/dev/null || true
      rm -f "$STATE/$p.pid"
      sleep 0.3
    done
    exit 0 ;;
  *) die "usage: $0 [up|build|stop]" ;;
esac
