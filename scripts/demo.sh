#!/usr/bin/env bash
# The main job, end to end: build shipshape; take each app in examples/init
# from bare source to a running deployment (init, check, build, verify,
# compose up, a page through the generated nginx, down); then check the
# example artifacts the way a team would: the hardened examples must pass
# the production profile, the field-report examples must be caught.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building bin/shipshape"
go build -o bin/shipshape ./cmd/shipshape
./bin/shipshape version

echo
echo "== the Docker engine (scripts/engine.sh)"
scripts/engine.sh | tail -1
export PATH=/usr/bin:$PATH # the docker client that builds with BuildKit without buildx

work=$(mktemp -d)
cleanup() {
  for d in "$work"/*/; do
    [ -f "$d/compose.yaml" ] && docker compose --project-directory "$d" down -v --timeout 5 >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for src in examples/init/*/; do
  name=$(basename "$src")
  dir="$work/$name"
  echo
  echo "== examples/init/$name: init, check, build, verify, compose up, through nginx, down"
  cp -r "$src" "$dir"
  git -C "$dir" init -q && git -C "$dir" add -A && git -C "$dir" -c user.name=demo -c user.email=demo@example.com commit -qm source
  ./bin/shipshape init "$dir" | sed -n '/^Detected/,/^Files:/p' | grep -v '^Files:'
  ./bin/shipshape check --profile production --fail-on info --color never "$dir" | tail -1
  git -C "$dir" add -A && git -C "$dir" -c user.name=demo -c user.email=demo@example.com commit -qm "shipshape init"
  # One service at the root, or several under services/ (seed 004's shape).
  refs=()
  if [ -f "$dir/Dockerfile" ]; then
    refs+=("$(./bin/shipshape build "$dir" 2>/dev/null | cut -f1)")
  else
    for svc in "$dir"/services/*/; do
      refs+=("$(./bin/shipshape build --name "$name-$(basename "$svc")" "$svc" 2>/dev/null | cut -f1)")
    done
  fi
  for ref in "${refs[@]}"; do
    ./bin/shipshape verify "$ref" | sed -n '1p;/FAIL/p'
  done
  ref=${refs[0]}
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'POSTGRES_PASSWORD=%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/.env"
  GIT_SHA=${ref##*:} PROXY_PORT=$port docker compose --project-directory "$dir" up -d --wait --no-build >/dev/null 2>&1 ||
    { GIT_SHA=${ref##*:} docker compose --project-directory "$dir" logs --tail 30 >&2; echo "demo: compose up failed for $name" >&2; exit 1; }
  health=$(docker image inspect -f '{{index .Config.Labels "dev.shipshape.health-path"}}' "$ref")
  echo "through nginx on 127.0.0.1:$port: GET / $(curl -fsS -o /dev/null -w '%{http_code} %{size_download} bytes' "http://127.0.0.1:$port/"), GET $health $(curl -fsS "http://127.0.0.1:$port$health" | head -c 80)"
  GIT_SHA=${ref##*:} docker compose --project-directory "$dir" down -v --timeout 10 >/dev/null 2>&1
  docker rmi -f "${refs[@]}" >/dev/null
done

echo
echo "== examples/good and the fixed field reports must pass the production profile"
./bin/shipshape check --profile production --color never examples/good testdata/seeds/*/after

echo
echo "== testdata/seeds/*/before: what the field reports got wrong"
set +e
./bin/shipshape check --color never testdata/seeds/*/before
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "demo: expected exit 1 (findings) for the seeds, got $status" >&2
  exit 1
fi

# Each field-report mistake must be caught.
report=$(./bin/shipshape check --format json testdata/seeds/*/before || true)
for rule in DF003 DF008 DF013 DF015 DF017 DF020 DF071 DF073 DF075 DF077 CO001 CO002 CO003 CO004 CO007 CO015 CO016 CO017 PX001 PX002 PX004 PX008 PX010 PX020 WF001 WF002 WF004 WF005 WF007 KU001 KU002 KU016 KU022 XF002 XF003 XF004; do
  if ! grep -q "\"rule\": \"$rule\"" <<<"$report"; then
    echo "demo: testdata/seeds should trigger $rule" >&2
    exit 1
  fi
done
echo
echo "demo: ok — every example initialised, built, verified and served through nginx; good examples clean, every seed mistake caught"
