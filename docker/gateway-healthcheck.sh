#!/bin/sh
# Health check of the njs-jwt-gateway image: the gateway is healthy when a request without a
# token gets the module's answer, 401 with a Bearer challenge. That proves NGINX listens and
# njs runs with a loaded key set, without any token in the health check.
set -eu
: "${GATEWAY_PORT:=8080}"
listen=${GATEWAY_LISTEN:-127.0.0.1:$GATEWAY_PORT}
case $listen in
  unix:*) echo "health check: cannot probe $listen" >&2; exit 1 ;;
  \[*\]:*) host=${listen%]:*}]; port=${listen##*]:} ;;
  *:*) host=${listen%:*}; port=${listen##*:} ;;
  *) host=127.0.0.1; port=$listen ;;
esac
case $host in
  0.0.0.0 | '*' | '') host=127.0.0.1 ;;
  '[::]') host='[::1]' ;;
esac
headers=$(curl --silent --show-error --max-time 3 --user-agent gateway-healthcheck --output /dev/null --dump-header - "http://$host:$port/") || exit 1
status=$(printf '%s\n' "$headers" | head -n 1 | cut -d ' ' -f 2)
if [ "$status" != 401 ]; then
  echo "health check: expected 401 without a token, got ${status:-nothing}" >&2
  exit 1
fi
printf '%s\n' "$headers" | grep -qi '^www-authenticate: *bearer' || { echo "health check: no Bearer challenge" >&2; exit 1; }
