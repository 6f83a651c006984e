#!/usr/bin/env bash
# A local Python package index made from Debian's packaged libraries, for
# end-to-end tests that build real Flask/FastAPI/Django apps with
# `pip install -r requirements.txt` inside `docker build` (PyPI is not
# reachable here; Debian's mirrors are).
#
#   scripts/pyindex.sh [all]   download, build, serve, then prove it (below)
#   scripts/pyindex.sh start   download and build if needed, serve; prints
#                              PIP_INDEX_URL=http://127.0.0.1:PORT/simple
#   scripts/pyindex.sh build   download and build if needed, no server
#   scripts/pyindex.sh prove   docker build against the running index
#   scripts/pyindex.sh stop    stops the server
#   PYINDEX_PORT (8765), PYINDEX_REFRESH=1 (re-read the suites' package lists),
#   SHIPSHAPE_DEBIAN_MIRROR, SHIPSHAPE_DEBIAN_SECURITY_MIRROR.
#
# How (scripts/pyindex.py does 2.):
#  1. `apt-get download` (nothing installed) of Debian's python3-* packages
#     below and the python3-* packages they depend on, through a private apt
#     configuration per suite under .cache/pyindex/apt (the system's sources
#     and lists are not touched). Compiled extensions must match the builder's
#     Python's line, so: trixie's (built for its 3.13.5) for Python 3.13
#     (init's default builder python:3.13.15-slim-trixie and the distroless
#     runtime's 3.13.5), bookworm's for Python 3.11.
#     Also downloaded: the shared libraries those extensions link beyond what
#     every Python image has (libpq for psycopg2, libuv for uvloop), and the
#     static files Debian replaced with links to other packages (Django's
#     jQuery, djangorestframework's fonts).
#  2. Each .deb becomes a wheel: its dist-packages files (symbolic links
#     followed) plus a fresh .dist-info (METADATA, WHEEL, RECORD with sha256).
#     Requirements Debian stripped come back from the .deb's Depends; bounds
#     the suite's own packages break (bookworm's fastapi 0.92: starlette<0.26,
#     Debian ships 0.26.1) are relaxed; an extra naming something the suite
#     lacks (uvicorn[standard]'s httptools) loses that requirement. Pure Python:
#     py3-none-any (trixie's win over bookworm's of the same release, and run on
#     3.11 too); compiled: cp313-cp313-linux_x86_64 (trixie) or cp311 (bookworm),
#     with the libraries they need copied in and found through RUNPATH, as
#     auditwheel does (psycopg2 needs no libpq5 in the image). psycopg2 is
#     served as psycopg2-binary as well.
#  3. A PEP 503 index in .cache/pyindex/www, served by `python3 -m http.server
#     --bind 127.0.0.1` in the background.
#  4. Proof: `docker build --network host` FROM python:3.13.15-slim-trixie and
#     FROM python:3.11-slim-bookworm (scripts/engine.sh makes them) that
#     `pip install --target` flask gunicorn fastapi uvicorn sqlalchemy django
#     psycopg2 and import them. --target, as init's Dockerfiles do, needs no
#     PIP_BREAK_SYSTEM_PACKAGES for the stand-ins' "externally managed" marker;
#     a bare `pip install` there needs it or a venv.
#
# Builds must reach 127.0.0.1: `docker build --network host --build-arg
# PIP_INDEX_URL=...` with `ARG PIP_INDEX_URL` in the Dockerfile, and
# --no-cache (the build cache does not know the index changed). The
# distroless python3 stand-ins of scripts/engine.sh hold what Google's hold
# and wheels' extensions link: libgcc_s.so.1 (Rust extensions: pydantic-core,
# bcrypt, cryptography; Google's python3 is based on distroless/cc) and
# libresolv.so.2 (psycopg2's bundled Kerberos).
#
# What the index holds (2026-11-30; .cache/pyindex/www/versions.txt lists every
# version, what was repaired, and what cannot be installed where):
#   Python 3.13 (trixie), newest: Flask 3.1.1, Werkzeug 3.1.3, Jinja2 3.1.6,
#     MarkupSafe 2.1.5, itsdangerous 2.2.0, click 8.1.8, blinker 1.9.0,
#     gunicorn 23.0.0, fastapi 0.115.11, starlette 0.46.1, pydantic 2.10.6
#     (pydantic-core 2.27.2, annotated-types 0.7.0), pydantic-settings 2.8.1,
#     anyio 4.8.0, sniffio 1.3.1, idna 3.10, uvicorn 0.32.0 ([standard]: uvloop
#     0.21.0, watchfiles 0.24.0, websockets 15.0.1, PyYAML 6.0.2,
#     python-dotenv 1.0.1), h11 0.14.0, httpx 0.28.1, SQLAlchemy 2.0.40,
#     greenlet 3.1.0, alembic 1.13.2, Mako 1.3.9, typing-extensions 4.13.2,
#     Flask-SQLAlchemy 3.1.1, Flask-Migrate 4.1.0, Flask-Login 0.6.3, Flask-WTF
#     1.2.2, WTForms 3.2.1, Flask-Cors 6.0.1, psycopg2 (and psycopg2-binary)
#     2.9.10, PyMySQL 1.1.1, asyncpg 0.30.0, redis 6.1.0, Django 4.2.30, asgiref
#     3.8.1, sqlparse 0.5.3, dj-database-url 0.5.0, whitenoise 6.8.2,
#     djangorestframework 3.16.0, django-cors-headers 4.7.0, django-environ
#     0.12.0, requests 2.32.3, urllib3 2.3.0, certifi 2025.1.31,
#     charset-normalizer 3.4.2, email-validator 2.2.0, dnspython 2.7.0,
#     python-multipart 0.0.20, PyJWT 2.10.1, passlib 1.7.4, bcrypt 4.2.0,
#     cryptography 43.0.0, packaging 25.0, tomli 2.2.1, orjson 3.10.7.
#   Python 3.11 (bookworm's compiled ones, trixie's pure-Python ones): the same
#     but MarkupSafe 2.1.2, greenlet 2.0.2, psycopg2 2.9.5, pydantic 1.10.4
#     (pydantic 2's core is built for 3.13 only: pip backtracks to 1.10.4,
#     which fastapi 0.115 accepts), bcrypt 3.2.2, cryptography 38.0.4,
#     charset-normalizer 3.0.1, uvloop 0.17.0, PyYAML 6.0, websockets 10.4,
#     asyncpg 0.27.0, tomli 2.0.1; no pydantic-settings, watchfiles, orjson.
#   Older releases to pin, from bookworm, on either: Flask 2.2.2, Werkzeug
#     2.2.2, gunicorn 20.1.0, fastapi 0.92.0, starlette 0.26.1, SQLAlchemy
#     1.4.46, Django 3.2.25, uvicorn 0.17.6, alembic 1.8.1, ... Test apps must
#     pin what exists: a missing pin fails fast (`from versions: ...`).
# Not served: httptools (Debian's 0.1.1 is older than anything uvicorn
# accepts; uvicorn uses h11 without it); typing-inspection (Debian has none;
# pydantic 2.10 does not need it); psycopg 3, celery, gevent (not asked for
# yet: add them to PACKAGES).
#
# Cold run (empty .cache/pyindex; both suites' package lists, 37 MB of .debs,
# 156 wheels, 53 MB, both proofs): 82-105 s on 2 cores under load average 7
# (other builds running), about half of it the two proof builds. Warm `start`
# with the server up: 0.1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PYINDEX_PORT:-8765}
CACHE=$PWD/.cache/pyindex
MIRROR=${SHIPSHAPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SHIPSHAPE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# suite:ABI tag:the suite's Python (markers, requires-python):the image that proves it
SUITES=(
  trixie:cp313:3.13.5:python:3.13.15-slim-trixie
  bookworm:cp311:3.11.2:python:3.11-slim-bookworm
)
# Debian's python3-<name> packages; what they depend on comes along. A name a
# suite lacks is skipped there (bookworm has no pydantic-core; its
# python-multipart is python3-multipart, trixie's python3-multipart is the
# other distribution called multipart).
PACKAGES=(
  flask werkzeug jinja2 markupsafe itsdangerous click blinker gunicorn
  fastapi starlette pydantic pydantic-core pydantic-settings annotated-types typing-inspection
  anyio sniffio idna uvicorn h11 uvloop watchfiles websockets yaml httpx httpcore
  sqlalchemy greenlet alembic mako dotenv typing-extensions
  flask-sqlalchemy flask-migrate flask-login flaskext.wtf wtforms flask-cors
  psycopg2 pymysql asyncpg redis
  django asgiref sqlparse dj-database-url whitenoise djangorestframework django-cors-headers django-environ
  requests urllib3 certifi charset-normalizer email-validator dnspython python-multipart multipart
  jwt passlib bcrypt cryptography cffi packaging tomli orjson
)
# python3-* packages that are not distributions to serve: the interpreter,
# parts of the standard library, pip's own, and httptools (see above).
NOT_SERVED='^python3(-minimal|-all|-dev|-venv|-pip|-pip-whl|-setuptools-whl|-wheel-whl|-distutils|-lib2to3|-tk|-gdbm|-supported-min|-httptools)?$'
# Library packages every Python image has (scripts/pyindex.py SYSTEM_LIBS).
SYSTEM_LIBS='^(libc6|libgcc-s1|libstdc\+\+6|zlib1g|libssl3(t64)?|libffi8|libcrypt1|gcc-[0-9]+-base|openssl-provider-legacy|debconf)$'
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1

say() { echo "pyindex: $*"; }
die() { echo "pyindex: $*" >&2; exit 1; }

arch=$(dpkg --print-architecture)
case $arch in
  amd64) platform=linux_x86_64 triplet=x86_64-linux-gnu ;;
  arm64) platform=linux_aarch64 triplet=aarch64-linux-gnu ;;
  *) die "no wheel platform tag for $arch" ;;
esac

# --- apt, privately --------------------------------------------------------------
# apt_setup SUITE writes an apt configuration of its own for SUITE (sources,
# lists, cache, an empty dpkg status) and reads its package lists once.
apt_setup() {
  local suite=$1 dir=$CACHE/apt/$1
  mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/cache" "$dir/parts" "$dir/prefs"
  local sources
  sources="deb [signed-by=$KEYRING] $MIRROR $suite main
deb [signed-by=$KEYRING] $MIRROR $suite-updates main
deb [signed-by=$KEYRING] $SECURITY_MIRROR $suite-security main"
  [ "$(cat "$dir/sources.list" 2>/dev/null)" = "$sources" ] || { echo "$sources" >"$dir/sources.list" && rm -f "$dir/lists/"*_Packages*; }
  [ -e "$dir/status" ] || : >"$dir/status"
  # Check-Valid-Until off as the host's apt configuration has it; no
  # apt.conf.d parts (they would add AppStream downloads).
  cat >"$dir/apt.conf" <<EOF
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/parts";
Dir::Etc::Parts "$dir/parts";
Dir::Etc::Preferences "$dir/prefs/none";
Dir::Etc::PreferencesParts "$dir/prefs";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Cache::Archives "$dir/archives";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
EOF
  if [ -n "${PYINDEX_REFRESH:-}" ] || ! compgen -G "$dir/lists/*_Packages*" >/dev/null; then
    say "reading Debian $suite's package lists"
    APT_CONFIG=$dir/apt.conf apt-get update -q >"$dir/update.log" 2>&1 ||
      { tail -20 "$dir/update.log" >&2; die "apt-get update for $suite failed"; }
  fi
}
apt_get() { APT_CONFIG=$CACHE/apt/$1/apt.conf apt-get "${@:2}"; }
apt_cache() { APT_CONFIG=$CACHE/apt/$1/apt.conf apt-cache "${@:2}"; }
depends() { # SUITE PACKAGE...: the packages PACKAGEs need, recursively (Depends only)
  apt_cache "$1" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${@:2}" | grep -E '^[a-z0-9]' | sort -u
}

# fetch SUITE DIR PACKAGE... makes DIR hold exactly the .debs of PACKAGEs'
# candidate versions, downloading only the ones missing.
fetch() {
  local suite=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  local want missing=() f
  want=$(apt_get "$suite" download --print-uris "$@" | awk '{print $2}' | sort) && [ -n "$want" ] ||
    die "$suite: apt-get download --print-uris $* failed"
  for f in $want; do [ -s "$dir/$f" ] || missing+=("${f%%_*}"); done
  if [ ${#missing[@]} -gt 0 ]; then
    (cd "$dir" && apt_get "$suite" download -q "${missing[@]}" >"$dir/../download.log" 2>&1) ||
      { tail -20 "$dir/../download.log" >&2; die "$suite: apt-get download failed"; }
  fi
  for f in "$dir"/*.deb; do grep -qxF "$(basename "$f")" <<<"$want" || rm -f "$f"; done
}

unavailable=()
# download SUITE: the suite's packages into $CACHE/debs/SUITE/{python,extras},
# once: again only when what is asked for changes or with PYINDEX_REFRESH=1.
download() {
  local suite=$1 dir=$CACHE/debs/$1 names=() p want
  want=$(printf '%s\n' "${PACKAGES[@]}" "$NOT_SERVED" "$SYSTEM_LIBS" "$MIRROR" "$SECURITY_MIRROR" | sha256sum | cut -c1-16)
  [ -z "${PYINDEX_REFRESH:-}" ] && [ "$(cat "$dir/done" 2>/dev/null)" = "$want" ] && return
  rm -f "$dir/done"
  apt_setup "$suite"
  for p in "${PACKAGES[@]}"; do
    if apt_cache "$suite" show "python3-$p" >/dev/null 2>&1; then names+=("python3-$p"); else unavailable+=("python3-$p ($suite)"); fi
  done
  fetch "$suite" "$dir/python" $(depends "$suite" "${names[@]}" | grep -E '^python3-' | grep -vE "$NOT_SERVED")
  # Libraries the compiled ones link (first alternatives), and the packages
  # of the static files the pure ones link to (Django's jQuery, DRF's fonts).
  local libs
  libs=$(for f in "$dir"/python/*.deb; do
      case $f in *_all.deb) dpkg-deb -f "$f" Depends Recommends | grep -oE "(libjs|fonts)-[a-z0-9.+-]+" || true ;;
        *) dpkg-deb -f "$f" Depends | sed 's/^Depends://' | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*//; s/:any//; s/ //g' | grep -E '^lib' || true ;;
      esac
    done | grep -vE "$SYSTEM_LIBS" | sort -u)
  if [ -n "$libs" ]; then
    fetch "$suite" "$dir/extras" $(depends "$suite" $libs | grep -E "^(lib|fonts-)" | grep -vE "$SYSTEM_LIBS|^libpython")
  fi
  echo "$want" >"$dir/done"
}

# patchelf (for RUNPATH), from bookworm's package when the host has none: its
# glibc is the older one, so it runs on either host.
patchelf_bin() {
  if command -v patchelf >/dev/null; then command -v patchelf; return; fi
  local tool=$CACHE/tools/usr/bin/patchelf
  if [ ! -x "$tool" ]; then
    apt_setup bookworm
    fetch bookworm "$CACHE/tools/debs" patchelf
    dpkg-deb -x "$CACHE"/tools/debs/patchelf_*.deb "$CACHE/tools"
  fi
  echo "$tool"
}

build() {
  local spec suite abi full args=()
  for spec in "${SUITES[@]}"; do
    IFS=: read -r suite abi full _ <<<"$spec"
    download "$suite"
    args+=(--suite "$suite:$abi:$full:$CACHE/debs/$suite/python:$CACHE/debs/$suite/extras")
  done
  [ ${#unavailable[@]} -eq 0 ] || say "no such Debian package: ${unavailable[*]}"
  local tool stamp
  tool=$(patchelf_bin)
  stamp=$( { printf '%s\n' "${SUITES[@]}" "$platform"; ls "$CACHE"/debs/*/*/; cat scripts/pyindex.py; } | sha256sum | cut -c1-16)
  if [ "$(cat "$CACHE/www/stamp.txt" 2>/dev/null)" != "$stamp" ]; then
    say "building wheels and the index"
    rm -rf "$CACHE/www.new"
    python3 scripts/pyindex.py build --out "$CACHE/www.new" --patchelf "$tool" \
      --platform "$platform" --triplet "$triplet" "${args[@]}" 2>"$CACHE/build.log" ||
      { tail -20 "$CACHE/build.log" >&2; die "building the index failed (log: $CACHE/build.log)"; }
    echo "$stamp" >"$CACHE/www.new/stamp.txt"
    rm -rf "$CACHE/www.old"
    [ ! -d "$CACHE/www" ] || mv "$CACHE/www" "$CACHE/www.old"
    mv "$CACHE/www.new" "$CACHE/www"
    rm -rf "$CACHE/www.old"
  fi
  say "$(ls "$CACHE/www/wheels" | wc -l) wheels, $(du -sh "$CACHE/www/wheels" | cut -f1); versions: $CACHE/www/versions.txt"
}

# --- server -----------------------------------------------------------------------
# The server's pid file holds "PID PORT"; it serves $CACHE/www by path, so a
# rebuilt index is served without a restart.
server_pid() {
  local pid port
  [ -s "$CACHE/server.pid" ] && read -r pid port <"$CACHE/server.pid" || return 1
  kill -0 "$pid" 2>/dev/null && grep -q http.server "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid $port"
}
stop() {
  local pid port
  if read -r pid port < <(server_pid); then
    kill "$pid" && say "stopped the server on port $port (pid $pid)"
  fi
  rm -f "$CACHE/server.pid"
}
serves() { [ "$(curl -fsS --max-time 2 "http://127.0.0.1:$PORT/stamp.txt" 2>/dev/null)" = "$(cat "$CACHE/www/stamp.txt")" ]; }
start() {
  build
  local pid port
  if read -r pid port < <(server_pid); then
    if [ "$port" = "$PORT" ] && serves; then
      echo "PIP_INDEX_URL=http://127.0.0.1:$PORT/simple"
      return
    fi
    stop
  fi
  curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && die "port $PORT is taken by something else (PYINDEX_PORT=...)"
  nohup setsid python3 -m http.server --bind 127.0.0.1 --directory "$CACHE/www" "$PORT" \
    >"$CACHE/server.log" 2>&1 </dev/null 9>&- &
  echo "$! $PORT" >"$CACHE/server.pid"
  for _ in $(seq 50); do serves && break; sleep 0.1; done
  serves || { cat "$CACHE/server.log" >&2; die "the server did not come up on port $PORT"; }
  say "serving $CACHE/www on 127.0.0.1:$PORT (pid $(cut -d' ' -f1 "$CACHE/server.pid"))"
  echo "PIP_INDEX_URL=http://127.0.0.1:$PORT/simple"
}

# --- proof ------------------------------------------------------------------------
prove() {
  serves || die "no index on port $PORT: run scripts/pyindex.sh start"
  local dir=$CACHE/prove spec suite image
  mkdir -p "$dir"
  cat >"$dir/Dockerfile" <<'EOF'
ARG IMAGE
FROM ${IMAGE}
ARG PIP_INDEX_URL
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/opt/deps
RUN pip install -q --target /opt/deps flask gunicorn fastapi uvicorn sqlalchemy django psycopg2
RUN python3 -c 'import sys, importlib.metadata as m, flask, gunicorn, fastapi, uvicorn, sqlalchemy, django, psycopg2, pydantic; \
  psycopg2.extensions.libpq_version(); \
  print("pyindex-proof: Python", sys.version.split()[0] + ":", ", ".join(d + " " + m.version(d) for d in \
    ["flask", "werkzeug", "gunicorn", "fastapi", "starlette", "pydantic", "uvicorn", "sqlalchemy", "django", "psycopg2"]))'
EOF
  for spec in "${SUITES[@]}"; do
    IFS=: read -r suite _ _ image <<<"$spec"
    $DOCKER image inspect "$image" >/dev/null 2>&1 || die "no $image image (scripts/engine.sh builds it)"
    $DOCKER build --network host --no-cache --progress=plain --build-arg "IMAGE=$image" \
      --build-arg "PIP_INDEX_URL=http://127.0.0.1:$PORT/simple" --output type=tar,dest=/dev/null \
      "$dir" >"$dir/$suite.log" 2>&1 || { tail -30 "$dir/$suite.log" >&2; die "the proof on $image failed (log: $dir/$suite.log)"; }
    grep -oE 'pyindex-proof: Python [0-9].*' "$dir/$suite.log" | sed 's/^pyindex-proof: /  /' | head -1
  done
  say "proved: pip install in docker build on $(printf '%s ' "${SUITES[@]}" | grep -oE 'python:[^ ]+' | tr '\n' ' ')"
}

# One start, build or stop at a time (tests may start the index in parallel).
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
case ${1:-all} in
  all) flock 9 && start && flock -u 9 && prove ;;
  start) flock 9 && start ;;
  build) flock 9 && build ;;
  prove) prove ;;
  stop) flock 9 && stop ;;
  *) die "usage: scripts/pyindex.sh [all|start|build|prove|stop]" ;;
esac
