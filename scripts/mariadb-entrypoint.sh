#!/bin/sh
# Entrypoint of the mariadb stand-in (scripts/engine.sh), which init --verify
# runs in place of mysql with --verify-image (this engine has no MySQL
# image). On an empty data directory it does what the official mariadb and
# mysql images do with their environment (MARIADB_* first, else MYSQL_*):
# the root password (ROOT_PASSWORD, RANDOM_ROOT_PASSWORD or
# ALLOW_EMPTY_(ROOT_)PASSWORD, one of them required), the database DATABASE
# and the user USER/PASSWORD with every right on it; then runs mariadbd as
# the mysql user, listening on every address; and the *.sql and *.sql.gz
# files of /docker-entrypoint-initdb.d, in name order, in that database, as
# the official images run a repository's set-up files. Only that much: no
# _FILE variants, and *.sh files there are named, not run.
set -eu
case "${1:-mariadbd}" in
  mariadbd | mysqld) [ $# -eq 0 ] || shift ;;
  -*) ;;
  *) exec "$@" ;;
esac
DATADIR=/var/lib/mysql
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$DATADIR" /run/mysqld
  chown -R mysql:mysql "$DATADIR" /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" mariadbd "$@"
fi

env_of() { eval "printf '%s' \"\${MARIADB_$1:-\${MYSQL_$1:-}}\""; }
# sql_string quotes a value for a SQL string literal.
sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/''/g")"; }
# sql prints a statement as it is: dash's echo would read its backslashes.
sql() { printf '%s\n' "$1"; }
sql_name() { printf '`%s`' "$(printf '%s' "$1" | sed -e 's/`/``/g')"; }

if [ ! -d "$DATADIR/mysql" ]; then
  root_pw=$(env_of ROOT_PASSWORD)
  random=$(env_of RANDOM_ROOT_PASSWORD)
  empty=${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}
  if [ -z "$root_pw" ] && [ -z "$random" ] && [ -z "$empty" ]; then
    echo "mariadb: the database is uninitialized and no root password option is set: set MARIADB_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD), MARIADB_RANDOM_ROOT_PASSWORD or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" >&2
    exit 1
  fi
  if [ -z "$root_pw" ] && [ -n "$random" ]; then
    root_pw=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
    echo "GENERATED ROOT PASSWORD: $root_pw"
  fi
  mariadb-install-db --datadir="$DATADIR" --auth-root-authentication-method=normal --skip-test-db >/dev/null
  mariadbd --datadir="$DATADIR" --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  i=0
  until mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || { echo "mariadb: the server did not start to initialize" >&2; exit 1; }
    kill -0 "$pid" 2>/dev/null || { echo "mariadb: the server exited while initializing" >&2; exit 1; }
    sleep 0.5
  done
  {
    # Only root@localhost is kept of the users the install made (anonymous
    # ones and root at the container's host name go), as the official
    # entrypoint does.
    sql "DELETE FROM mysql.global_priv WHERE User='' OR (User='root' AND Host NOT IN ('localhost'));"
    sql "FLUSH PRIVILEGES;"
    sql "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$root_pw");"
    host=$(env_of ROOT_HOST)
    host=${host:-%}
    if [ "$host" != localhost ]; then
      sql "CREATE USER 'root'@$(sql_string "$host") IDENTIFIED BY $(sql_string "$root_pw");"
      sql "GRANT ALL ON *.* TO 'root'@$(sql_string "$host") WITH GRANT OPTION;"
    fi
    db=$(env_of DATABASE)
    [ -z "$db" ] || sql "CREATE DATABASE IF NOT EXISTS $(sql_name "$db");"
    user=$(env_of USER)
    if [ -n "$user" ]; then
      sql "CREATE USER $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$(env_of PASSWORD)");"
      [ -z "$db" ] || sql "GRANT ALL ON $(sql_name "$db").* TO $(sql_string "$user")@'%';"
    fi
    sql "FLUSH PRIVILEGES;"
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sql | *.sql.gz)
          echo "mariadb: running $f" >&2
          [ -z "$db" ] || sql "USE $(sql_name "$db");"
          case "$f" in *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac
          printf '\n'
          ;;
        *.sh) echo "mariadb: $f not run: this stand-in runs *.sql and *.sql.gz only" >&2 ;;
      esac
    done
  } | mariadb --socket=/run/mysqld/init.sock -uroot
  kill "$pid"
  wait "$pid" || true
fi
exec mariadbd --datadir="$DATADIR" --bind-address=0.0.0.0 --port=3306 --skip-name-resolve "$@"
