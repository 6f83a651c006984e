#!/usr/bin/env bash
# Debian's chromium, for the browser smoke check (shipshape smoke,
# deploy --smoke-browser) and its tests (internal/release/browser,
# internal/e2e/browser_test.go). Installs it once; a second run only checks
# that it starts. Idempotent; test.sh runs it.
#
# chromium alone (--no-install-recommends): the check runs it headless, so
# it needs no desktop integration; its dependencies bring the fonts that
# render a page's text in the screenshot. shipshape runs it as root with
# --no-sandbox (Chromium refuses root otherwise), in a profile it throws away.
set -euo pipefail

say() { echo "browser: $*"; }
die() { echo "browser: $*" >&2; exit 1; }

if ! command -v chromium >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "chromium is not installed and installing it needs root: apt-get install chromium"
  say "installing Debian's chromium"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null ||
    { apt-get update -q >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; } ||
    die "apt-get install chromium failed"
fi
# Debian's launcher script sources /etc/chromium.d, whose dev-shm test can
# print "[: ...: unexpected operator" on stderr: harmless, so only stdout
# is read.
version=$(chromium --version 2>/dev/null) || die "chromium --version failed: $(chromium --version 2>&1 | tail -n 3)"
say "$version"
