#!/usr/bin/env bash
# The main job, end to end: build shipshape, then check the example
# Dockerfiles the way a team would. The hardened examples must pass the
# production profile; the field-report examples must be caught.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building bin/shipshape"
go build -o bin/shipshape ./cmd/shipshape
./bin/shipshape version

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
echo "demo: ok — good examples clean, every seed mistake caught"
