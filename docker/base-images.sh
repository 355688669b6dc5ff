#!/bin/sh
# Build local stand-ins for the official base images our Dockerfiles name by default, for
# hosts with a Docker engine but no container registry (our CI). Each stand-in is a Debian
# bookworm root filesystem made with mmdebstrap from the host's own apt sources and loaded
# with `docker import`, under the very name the Dockerfile's ARG defaults to, so that
# `docker build` works unchanged. An image that already exists under that name (a real
# pulled one, or an earlier stand-in) is left alone unless FORCE=1.
#
#   docker/base-images.sh            build both (nginx, node) if missing, in parallel
#   docker/base-images.sh nginx      only the nginx stand-in
#   docker/base-images.sh node       only the node stand-in
#
# Environment: NGINX_IMAGE (default nginx:1.27), NODE_IMAGE (default node:20-slim),
# APT_SOURCES (default: the host's /etc/apt/sources.list.d/debian.sources or sources.list),
# FORCE=1 to rebuild.
#
# What makes them drop-in (same as the official images where our Dockerfiles rely on it):
#   nginx: /usr/sbin/nginx with the njs module at /usr/lib/nginx/modules/ngx_http_js_module.so
#          (also reachable as /etc/nginx/modules/), the `njs` CLI, envsubst, curl, an `nginx`
#          user and group, /var/cache/nginx, logs linked to stdout/stderr,
#          CMD nginx -g 'daemon off;'. (`docker import` cannot set STOPSIGNAL; the gateway
#          Dockerfile sets SIGQUIT itself, as the official image does.)
#   node:  /usr/local/bin/node (the host's node binary, same major as the tag), a `node`
#          user (uid 1000), CMD node.
# They are labelled njs-jwt-gateway.standin=true so they can be told apart from real ones.
set -eu

NGINX_IMAGE=${NGINX_IMAGE:-nginx:1.27}
NODE_IMAGE=${NODE_IMAGE:-node:20-slim}
SUITE=bookworm

if [ -z "${APT_SOURCES:-}" ]; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    APT_SOURCES=/etc/apt/sources.list.d/debian.sources
  elif [ -s /etc/apt/sources.list ]; then
    APT_SOURCES=/etc/apt/sources.list
  else
    APT_SOURCES=http://deb.debian.org/debian
  fi
fi

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "base-images: $1 not found; run .ci/install-docker.sh" >&2; exit 1; }
}
need mmdebstrap
need docker
docker info >/dev/null 2>&1 || { echo "base-images: no Docker engine answers; run docker/engine.sh start" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/base-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# mmdebstrap runs in its own session: on failure it signals its whole process group, which
# must not take the caller (a CI script, a test runner) down with it.
run_mmdebstrap() {
  setsid --wait mmdebstrap "$@" </dev/null
}

exists() {
  docker image inspect "$1" >/dev/null 2>&1
}

# Common mmdebstrap options: small root filesystem, no docs/man/locales, no apt lists left.
slim() {
  cat <<'OPTS'
--dpkgopt=force-unsafe-io
--dpkgopt=path-exclude=/usr/share/doc/*
--dpkgopt=path-include=/usr/share/doc/*/copyright
--dpkgopt=path-exclude=/usr/share/man/*
--dpkgopt=path-exclude=/usr/share/locale/*
--dpkgopt=path-exclude=/usr/share/info/*
--customize-hook=rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/apt/* "$1"/var/log/dpkg.log
OPTS
}

label_source() {
  echo "LABEL njs-jwt-gateway.standin=true org.opencontainers.image.description=\"local stand-in for $1 built by docker/base-images.sh from Debian $SUITE packages\""
}

build_nginx() {
  tag=$NGINX_IMAGE
  if exists "$tag" && [ "${FORCE:-}" != 1 ]; then
    echo "base-images: $tag exists; skipped (FORCE=1 rebuilds)"
    return 0
  fi
  echo "base-images: building $tag stand-in (nginx-light, njs module and CLI) from $APT_SOURCES"
  start=$(date +%s)
  # shellcheck disable=SC2046
  IFS='
'
  set -- $(slim)
  unset IFS
  run_mmdebstrap --quiet --variant=minbase \
    --include=nginx-light,libnginx-mod-http-js,njs,gettext-base,curl,ca-certificates \
    "$@" \
    --customize-hook='chroot "$1" groupadd --system --gid 101 nginx' \
    --customize-hook='chroot "$1" useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nginx' \
    --customize-hook='rm -f "$1"/etc/nginx/modules-enabled/* "$1"/etc/nginx/sites-enabled/*' \
    --customize-hook='mkdir -p "$1"/etc/nginx/conf.d "$1"/var/cache/nginx "$1"/usr/share/nginx' \
    --customize-hook='ln -sfn /usr/lib/nginx/modules "$1"/etc/nginx/modules' \
    --customize-hook='ln -sfn /usr/lib/nginx/modules "$1"/usr/share/nginx/modules' \
    --customize-hook='ln -sf /dev/stdout "$1"/var/log/nginx/access.log' \
    --customize-hook='ln -sf /dev/stderr "$1"/var/log/nginx/error.log' \
    --customize-hook='printf "%s\n" "user nginx;" "worker_processes auto;" "error_log /var/log/nginx/error.log notice;" "pid /var/run/nginx.pid;" "events { worker_connections 1024; }" "http {" "    include /etc/nginx/mime.types;" "    default_type application/octet-stream;" "    access_log /var/log/nginx/access.log;" "    include /etc/nginx/conf.d/*.conf;" "}" >"$1"/etc/nginx/nginx.conf' \
    --customize-hook='printf "%s\n" "server {" "    listen 80;" "    location / { root /usr/share/nginx/html; index index.html; }" "}" >"$1"/etc/nginx/conf.d/default.conf' \
    "$SUITE" "$WORK/nginx-rootfs.tar" "$APT_SOURCES"
  docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c "$(label_source "$tag")" \
      -c 'EXPOSE 80' \
      -c 'CMD ["nginx", "-g", "daemon off;"]' \
      -m "stand-in for $tag: Debian $SUITE nginx-light + libnginx-mod-http-js + njs" \
      "$WORK/nginx-rootfs.tar" "$tag" >/dev/null
  rm -f "$WORK/nginx-rootfs.tar"
  docker run --rm --network none "$tag" sh -c 'nginx -v && njs -v >/dev/null && test -f /usr/lib/nginx/modules/ngx_http_js_module.so && id nginx >/dev/null && command -v envsubst >/dev/null' \
    || { echo "base-images: $tag stand-in failed its self-check" >&2; exit 1; }
  echo "base-images: $tag ready in $(( $(date +%s) - start ))s"
}

build_node() {
  tag=$NODE_IMAGE
  if exists "$tag" && [ "${FORCE:-}" != 1 ]; then
    echo "base-images: $tag exists; skipped (FORCE=1 rebuilds)"
    return 0
  fi
  need node
  node_bin=$(readlink -f "$(command -v node)")
  node_version=$(node -v)
  case $tag in
    *:*) want=${tag##*:}; want=${want%%-*}; want=${want%%.*} ;;
    *) want= ;;
  esac
  major=${node_version#v}; major=${major%%.*}
  if [ -n "$want" ] && [ "$want" != "$major" ] && [ "$want" != latest ] && [ "$want" != slim ]; then
    echo "base-images: host node is $node_version but $tag names major $want; building anyway (set NODE_IMAGE to match)" >&2
  fi
  echo "base-images: building $tag stand-in (host node $node_version) from $APT_SOURCES"
  start=$(date +%s)
  IFS='
'
  set -- $(slim)
  unset IFS
  NODE_BIN=$node_bin run_mmdebstrap --quiet --variant=minbase \
    --include=libstdc++6 \
    "$@" \
    --customize-hook='mkdir -p "$1"/usr/local/bin' \
    --customize-hook="copy-in $node_bin /usr/local/bin" \
    --customize-hook='[ "$(basename "$NODE_BIN")" = node ] || mv "$1/usr/local/bin/$(basename "$NODE_BIN")" "$1"/usr/local/bin/node' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    "$SUITE" "$WORK/node-rootfs.tar" "$APT_SOURCES"
  docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c "ENV NODE_VERSION=${node_version#v}" \
      -c "$(label_source "$tag")" \
      -c 'CMD ["node"]' \
      -m "stand-in for $tag: Debian $SUITE minbase + host node $node_version" \
      "$WORK/node-rootfs.tar" "$tag" >/dev/null
  rm -f "$WORK/node-rootfs.tar"
  docker run --rm --network none "$tag" node -e 'process.exit(0)' \
    || { echo "base-images: $tag stand-in failed its self-check" >&2; exit 1; }
  echo "base-images: $tag ready in $(( $(date +%s) - start ))s"
}

case ${1:-all} in
  all)
    # The two builds are independent and mostly wait on downloads and dpkg: run them side by side.
    build_nginx &
    nginx_pid=$!
    build_node &
    node_pid=$!
    rc=0
    wait "$nginx_pid" || rc=1
    wait "$node_pid" || rc=1
    exit "$rc"
    ;;
  nginx) build_nginx ;;
  node) build_node ;;
  *) echo "usage: $0 [all|nginx|node]" >&2; exit 2 ;;
esac
