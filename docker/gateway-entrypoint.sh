#!/bin/sh
# Entrypoint of the njs-jwt-gateway image.
#
#   gateway-entrypoint nginx -g 'daemon off;'   (the default command) render the configuration,
#                                                check the key set, exec NGINX in the foreground
#   gateway-entrypoint render                    render the configuration only
#   gateway-entrypoint check                     check the key set only
#   gateway-entrypoint reload                    check the key set, then `nginx -s reload`
#                                                (graceful: old workers finish their requests)
#   gateway-entrypoint <anything else>           exec it unchanged (sh, nginx -V, ...)
#
# The configuration is the template nginx/nginx.conf of the repository, copied into the image
# at $TEMPLATE_DIR; its header documents the ${NAME} placeholders. Only those are replaced
# (envsubst with an explicit list), and each must have a value from the environment below.
# The result goes to /etc/nginx/nginx.conf (so `nginx -s reload` and `nginx -t` find it),
# or to $RUNTIME_DIR/conf/ when /etc/nginx is not writable (container run with --user).
#
# Environment (defaults in brackets):
#   GATEWAY_LISTEN     address:port NGINX listens on [127.0.0.1:${GATEWAY_PORT:-8080}];
#                      loopback because our containers use host networking; set
#                      0.0.0.0:8080 on a bridge network with -p
#   JWKS_FILE          the JWK Set [/run/secrets/jwks]: a Compose/Swarm secret or a
#                      read-only bind mount, never part of the image
#   NJS_DIR            folder with jwt-gateway.js and check-config.js [/usr/lib/njs-jwt-gateway]
#   RUNTIME_DIR        pid file and temp files [/var/cache/nginx/gateway]
#   ERROR_LOG          [/dev/stderr]    ACCESS_LOG  [/dev/stdout]
#   UPSTREAM           host:port of the HTTP API behind /api/ [127.0.0.1:8081]
#   TOKEN_CACHE_DIR    the token cache [/dev/shm/njs-jwt-gateway]: tmpfs, since NGINX writes
#                      each cached token into its entry
#   NGINX_WORKER_USER  user of the worker processes when started as root [nginx]
set -eu

TEMPLATE_DIR=${TEMPLATE_DIR:-/etc/nginx/templates/njs-jwt-gateway}
: "${GATEWAY_PORT:=8080}"
: "${GATEWAY_LISTEN:=127.0.0.1:$GATEWAY_PORT}"
: "${JWKS_FILE:=/run/secrets/jwks}"
: "${NJS_DIR:=/usr/lib/njs-jwt-gateway}"
: "${RUNTIME_DIR:=/var/cache/nginx/gateway}"
: "${ERROR_LOG:=/dev/stderr}"
: "${ACCESS_LOG:=/dev/stdout}"
: "${UPSTREAM:=127.0.0.1:8081}"
: "${TOKEN_CACHE_DIR:=/dev/shm/njs-jwt-gateway}"
: "${NGINX_WORKER_USER:=nginx}"
export GATEWAY_LISTEN JWKS_FILE NJS_DIR RUNTIME_DIR ERROR_LOG ACCESS_LOG UPSTREAM TOKEN_CACHE_DIR

say() { echo "gateway: $*" >&2; }
die() { say "$*"; exit 1; }

# The ${NAME} placeholders listed in the template's leading comment block.
placeholders() {
  awk '!/^#/ { exit } { while (match($0, /\$\{[A-Z_][A-Z0-9_]*\}/)) { print substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH) } }' "$1" | sort -u
}

conf_dir() {
  if [ -w /etc/nginx ]; then echo /etc/nginx; else echo "$RUNTIME_DIR/conf"; fi
}

render() {
  case $UPSTREAM in
    *://* | */*) die "UPSTREAM is the API's host:port (HTTP), e.g. 127.0.0.1:8081, not a URL: '$UPSTREAM'" ;;
  esac
  template=$TEMPLATE_DIR/nginx.conf
  [ -r "$template" ] || die "template $template is missing from the image"
  names=$(placeholders "$template")
  [ -n "$names" ] || die "template $template documents no \${NAME} placeholders"
  for name in $names; do
    var=${name#??}; var=${var%?}
    eval "value=\${$var:-}"
    [ -n "$value" ] || die "placeholder $name of $template has no value: set $var"
    # Values land in NGINX syntax: no spaces, quotes, semicolons, braces or newlines.
    case $value in
      *[!A-Za-z0-9._/:@+=,\[\]-]*) die "$var has characters not allowed in the configuration: '$value'" ;;
    esac
    export "${var?}"
  done
  dir=$(conf_dir)
  mkdir -p "$dir" "$RUNTIME_DIR"
  tmp=$dir/.nginx.conf.$$
  {
    echo "# rendered by gateway-entrypoint from $template at $(date -u +%Y-%m-%dT%H:%M:%SZ); do not edit"
    # Workers drop root like the official image's, unless the template says otherwise.
    if [ "$(id -u)" = 0 ] && ! grep -Eq '^[[:space:]]*user[[:space:]]' "$template"; then
      if id "$NGINX_WORKER_USER" >/dev/null 2>&1; then
        echo "user $NGINX_WORKER_USER;"
      else
        say "worker user $NGINX_WORKER_USER does not exist; NGINX's compiled-in default applies"
      fi
    fi
    # shellcheck disable=SC2086
    envsubst "$(echo $names)" <"$template"
  } >"$tmp"
  # the snippets nginx.conf includes (jwt.conf, jwt-server.conf, ...) sit next to it
  for snippet in "$TEMPLATE_DIR"/*.conf; do
    [ "$snippet" = "$template" ] || cp "$snippet" "$dir/"
  done
  mv "$tmp" "$dir/nginx.conf"
  NGINX_CONF=$dir/nginx.conf
  # Part of the token cache's key: a start or reload with other keys, revocations
  # or code never answers from a success cached under the old ones.
  (umask 077 && njs "$NJS_DIR/check-config.js" --trust-generation "$RUNTIME_DIR/jwt-cache-salt" "$dir"/*.conf \
    >"$RUNTIME_DIR/jwt-trust-generation.conf") || die "cannot compute the trust generation of $dir"
}

check() {
  if [ ! -e "$JWKS_FILE" ]; then
    die "key set $JWKS_FILE does not exist: provide the JWK Set as a secret (Compose/Swarm secret named jwks) or a read-only bind mount (-v /path/jwks.json:$JWKS_FILE:ro), or set JWKS_FILE"
  fi
  if ! out=$(njs "$NJS_DIR/check-config.js" "$JWKS_FILE" "$TEMPLATE_DIR/nginx.conf" 2>&1); then
    msg=$(printf '%s\n' "$out" | sed -n 's/^Error: //p' | head -n 1)
    die "${msg:-key set check failed: $out}"
  fi
  say "$out"
}

case ${1:-} in
  render)
    render
    say "rendered $NGINX_CONF"
    ;;
  check)
    check
    ;;
  reload)
    check
    render
    exec nginx -c "$NGINX_CONF" -s reload
    ;;
  nginx | nginx-debug)
    render
    check
    prog=$1
    shift
    say "listening on $GATEWAY_LISTEN, key set $JWKS_FILE, config $NGINX_CONF"
    exec "$prog" -c "$NGINX_CONF" "$@"
    ;;
  '')
    die "no command"
    ;;
  *)
    exec "$@"
    ;;
esac
