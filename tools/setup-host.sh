#!/bin/sh
# Prepares a fresh Debian 12 host (as root) for everything in this repository:
# NGINX with the njs module and the njs CLI, wrk for the benchmark, and a Docker
# engine with local stand-ins for the base images (no registry needed).
# Idempotent: a second run installs and builds nothing new. The Docker engine it
# starts keeps running; `docker/engine.sh stop` stops it.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "setup-host: run as root (it installs Debian packages and starts dockerd)" >&2
  exit 1
fi

packages="nginx-light libnginx-mod-http-js njs wrk"
missing=$(for p in $packages; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
  apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi
sh .ci/install-docker.sh
sh docker/engine.sh start
sh docker/base-images.sh
