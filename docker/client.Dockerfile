# njs-jwt-apiclient: the tutorial's API client (client/, bundled into one file) on Node.
#
# Build from the repository root after `npm run build:client`, or let `npm run images` do it:
#   DOCKER_BUILDKIT=0 docker build -f docker/client.Dockerfile -t njs-jwt-apiclient .
# The hardcode variant of Challenge 1 copies the build with the token compiled in
# (`npm run build:client -- --hardcode-token-file FILE`). The token then sits in a layer of
# the image, readable by anyone who has the image. That is the lesson; never do it for real:
#   DOCKER_BUILDKIT=0 docker build -f docker/client.Dockerfile \
#     --build-arg CLIENT_BUILD=client-hardcode -t njs-jwt-apiclient:hardcode .
ARG NODE_IMAGE=node:20-slim
FROM ${NODE_IMAGE}

# client (no token inside) or client-hardcode (token inside, on purpose)
ARG CLIENT_BUILD=client
# The mode the image runs when no --mode is given (APICLIENT_MODE of the client). The default
# is the recommended one: a file secret at /run/secrets/jot. `npm run images` builds one tag
# per mode: njs-jwt-apiclient:hardcode, :env, :file, :manager (and :latest = :file).
ARG APICLIENT_MODE=file

WORKDIR /usr/app
COPY dist/${CLIENT_BUILD}/apiclient.mjs ./apiclient.mjs
# Fails the build early on a base without node.
RUN node --version

LABEL org.opencontainers.image.title="njs-jwt-apiclient" \
      org.opencontainers.image.description="The tutorial's API client in TypeScript (apiclient --mode hardcode|env|file|manager)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      njs-jwt-apiclient.build="${CLIENT_BUILD}"

ENV APICLIENT_MODE=${APICLIENT_MODE}
USER node
ENTRYPOINT ["node", "/usr/app/apiclient.mjs"]
