#!/bin/sh
# Entrypoint of the rabbitmq stand-in (scripts/engine.sh), which init
# --verify runs with --verify-image where the engine lacks the official
# image. As the official image does, it takes the default user, password
# and virtual host from RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS and
# RABBITMQ_DEFAULT_VHOST (guest/guest and / otherwise) and lets that user
# connect from other hosts; then runs rabbitmq-server as the rabbitmq user.
set -eu
case "${1:-rabbitmq-server}" in
  rabbitmq-server) [ $# -eq 0 ] || shift ;;
  -*) ;;
  *) exec "$@" ;;
esac
if [ "$(id -u)" = 0 ]; then
  mkdir -p /etc/rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  {
    echo "loopback_users.guest = false"
    echo "listeners.tcp.default = 5672"
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
    echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
    echo "default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}"
  } >/etc/rabbitmq/rabbitmq.conf
  chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups env HOME=/var/lib/rabbitmq "$0" rabbitmq-server "$@"
fi
# Logs to standard output, as a container's should.
export RABBITMQ_LOGS=-
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
