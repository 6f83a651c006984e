#!/bin/sh
# Entrypoint of the ferretdb stand-in (scripts/engine.sh), which init
# --verify runs in place of mongo with --verify-image mongo=ferretdb:1.24
# (this engine has no MongoDB image, and MongoDB is not in Debian).
# FerretDB speaks MongoDB's wire protocol; the image's environment
# (FERRETDB_*) sets its SQLite backend on the /state volume, every address
# on port 27017 and no telemetry. Options go to ferretdb; another program
# runs as it is.
set -eu
case "${1:-ferretdb}" in
  ferretdb) [ $# -eq 0 ] || shift ;;
  -*) ;;
  *) exec "$@" ;;
esac
exec /usr/local/bin/ferretdb "$@"
