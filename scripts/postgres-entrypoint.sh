#!/bin/sh
# Entrypoint of the postgres stand-in (scripts/engine.sh): on an empty data
# directory, create the cluster with POSTGRES_USER/POSTGRES_PASSWORD and the
# database POSTGRES_DB, as the official image does, and run the files of
# /docker-entrypoint-initdb.d in name order (*.sql and *.sql.gz with psql in
# that database, *.sh executed or sourced); then run postgres as the
# postgres user. Only what compose files written by shipshape init use.
set -eu
# Any other command (psql, a shell) runs as given, as with the official image.
case "${1:-postgres}" in postgres | -*) ;; *) exec "$@" ;; esac
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
user=${POSTGRES_USER:-postgres}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "postgres: POSTGRES_PASSWORD is not set" >&2; exit 1; }
  pw=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pw"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pw"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  db=${POSTGRES_DB:-$user}
  [ "$db" = postgres ] || psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "postgres: running $f" >&2; psql -v ON_ERROR_STOP=1 -q -U "$user" -d "$db" -f "$f" ;;
      *.sql.gz) echo "postgres: running $f" >&2; gzip -dc "$f" | psql -v ON_ERROR_STOP=1 -q -U "$user" -d "$db" ;;
      *.sh) echo "postgres: running $f" >&2; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
[ "${1:-postgres}" = postgres ] && shift
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
