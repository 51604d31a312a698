#!/bin/sh
# Starts redis-server with a password and no persistence. The password goes in on stdin (redis-server's "-"), not
# on the command line, so ps does not show it. Environment:
#   REDIS_PASSWORD   required (from a Kubernetes Secret); no newline in it
#   REDIS_PORT       default 6379
#   REDIS_MAXMEMORY  optional, e.g. 256mb; the policy is noeviction: a full queue refuses writes, never drops jobs
set -eu
if [ -z "${REDIS_PASSWORD:-}" ]; then
  echo "redis-entrypoint: REDIS_PASSWORD is not set; refusing to start a Redis anyone could use" >&2
  exit 2
fi
case "$REDIS_PASSWORD" in
  *"
"*) echo "redis-entrypoint: REDIS_PASSWORD holds a newline" >&2; exit 2 ;;
esac
password=$(printf '%s' "$REDIS_PASSWORD" | sed 's/\\/\\\\/g; s/"/\\"/g')
unset REDIS_PASSWORD
maxmemory=""
if [ -n "${REDIS_MAXMEMORY:-}" ]; then maxmemory="maxmemory $REDIS_MAXMEMORY"; fi
# exec with a here-document: redis-server becomes PID 1 (SIGTERM reaches it) and reads this on stdin.
exec redis-server - <<CONF
port ${REDIS_PORT:-6379}
bind * -::*
dir /tmp
save ""
appendonly no
daemonize no
logfile ""
maxmemory-policy noeviction
$maxmemory
requirepass "$password"
CONF
