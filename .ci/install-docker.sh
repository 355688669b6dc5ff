#!/bin/sh
# Install what the container suite needs on a Debian 12 host with the Debian archive but no
# container registry: the Docker engine (dockerd, containerd, runc), docker-compose v1,
# and mmdebstrap to build the base-image stand-ins. Idempotent: installs only what is missing.
# Does not start anything; docker/engine.sh start does that.
set -eu

missing=
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
# mmdebstrap needs these to verify and unpack the archive without root tricks
command -v gpgv >/dev/null 2>&1 || missing="$missing gpgv"
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing="$missing debian-archive-keyring"

if [ -z "$missing" ]; then
  echo "install-docker: docker.io, docker-compose and mmdebstrap already installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-docker: need root to install:$missing" >&2
  exit 1
fi

echo "install-docker: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Only refresh the package lists when they are absent (a fresh host); .ci/run runs
# apt-get update itself before calling this.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
  apt-get update
fi
# shellcheck disable=SC2086
apt-get install -y $missing
