# njs-jwt-gateway: NGINX with the njs module, our JWT bundle and configuration.
#
# Build from the repository root (after `npm run build:njs`), or let `npm run images` do it:
#   DOCKER_BUILDKIT=0 docker build -f docker/gateway.Dockerfile -t njs-jwt-gateway .
# Run with the JWK Set as a secret or a read-only bind mount; the image holds no key material:
#   docker run --network host -v "$PWD/jwks.json:/run/secrets/jwks:ro" njs-jwt-gateway
#
# Any base with the official image's layout works: /usr/sbin/nginx, the njs module at
# /usr/lib/nginx/modules/ngx_http_js_module.so, the njs CLI, envsubst and curl, an `nginx`
# user. The official image has all of them; docker/base-images.sh builds a local stand-in
# under the same name for hosts without a registry.
ARG NGINX_IMAGE=nginx:1.27
FROM ${NGINX_IMAGE}

# The template (nginx.conf) and its snippets exactly as in the repository; rendered at start
# by the entrypoint.
COPY nginx/*.conf /etc/nginx/templates/njs-jwt-gateway/
COPY dist/njs/jwt-gateway.js dist/njs/check-config.js /usr/lib/njs-jwt-gateway/
COPY docker/gateway-entrypoint.sh /usr/local/bin/gateway-entrypoint
COPY docker/gateway-healthcheck.sh /usr/local/bin/gateway-healthcheck

# The base's default site must not come up next to the gateway (it listens on port 80).
# The master process starts as root to read root-only secrets and bind; workers run as nginx.
# `docker run --user nginx` also works (port above 1024, secrets readable by uid 101).
RUN set -eu; \
    rm -f /etc/nginx/conf.d/default.conf; \
    chmod 0755 /usr/local/bin/gateway-entrypoint /usr/local/bin/gateway-healthcheck; \
    chmod 0644 /usr/lib/njs-jwt-gateway/*.js /etc/nginx/templates/njs-jwt-gateway/*; \
    mkdir -p /var/cache/nginx/gateway; \
    chown nginx:nginx /var/cache/nginx/gateway; \
    test -f /etc/nginx/templates/njs-jwt-gateway/nginx.conf; \
    nginx -V 2>&1 | head -n 1; \
    test -f /usr/lib/nginx/modules/ngx_http_js_module.so; \
    command -v njs >/dev/null; \
    command -v envsubst >/dev/null; \
    command -v curl >/dev/null

ENV GATEWAY_LISTEN=127.0.0.1:8080 \
    JWKS_FILE=/run/secrets/jwks \
    NJS_DIR=/usr/lib/njs-jwt-gateway \
    RUNTIME_DIR=/var/cache/nginx/gateway \
    ERROR_LOG=/dev/stderr \
    ACCESS_LOG=/dev/stdout \
    UPSTREAM=127.0.0.1:8081 \
    TOKEN_CACHE_DIR=/dev/shm/njs-jwt-gateway

LABEL org.opencontainers.image.title="njs-jwt-gateway" \
      org.opencontainers.image.description="JWT authentication for APIs on NGINX with njs; key set read from /run/secrets/jwks at start" \
      org.opencontainers.image.licenses="Apache-2.0"

EXPOSE 8080
# SIGQUIT: graceful shutdown, workers finish the requests in flight (as the official image).
STOPSIGNAL SIGQUIT
# Every check is one 401 in the access and error logs: every 30 s by default (Compose files
# and orchestrators can shorten it; the Engine API's Healthcheck.Test=[] keeps this command).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["gateway-healthcheck"]
ENTRYPOINT ["gateway-entrypoint"]
CMD ["nginx", "-g", "daemon off;"]
