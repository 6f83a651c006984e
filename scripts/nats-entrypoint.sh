#!/bin/sh
# Entrypoint of the nats stand-in (scripts/engine.sh): nats-server from the
# Go module proxy, which init --verify runs where compose.yaml names nats
# (the official image is a scratch image this engine has no copy of).
# Options go to nats-server, as the official image's entrypoint does; the
# default command adds the monitoring port (8222) its health check reads.
# Another program runs as it is.
set -eu
case "${1:-nats-server}" in
  nats-server) [ $# -eq 0 ] || shift ;;
  -*) ;;
  *) exec "$@" ;;
esac
exec /usr/local/bin/nats-server "$@"
