# syntax=docker/dockerfile:1
# One image for every Civic Ledger program (orderer, peer, subsidies, parking, transport, the
# civic CLI): the container's command picks the program, e.g.
#   node services/orderer/dist/main.js
# docs/deployment.md lists the programs, their environment variables and ports.

# ---- build: the whole workspace with its dev dependencies, compiled by tsc -b -------------------
FROM node:24-slim AS build
WORKDIR /app
# .dockerignore keeps node_modules, dist, dev networks and git out of the context.
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 # Production dependencies only from here on (workspace links stay).
 && npm prune --omit=dev --no-audit --no-fund \
 # The runtime gets each package's package.json, dist/ and bin/: no sources, tests or configs.
 && mkdir -p /out \
 && cp -R package.json node_modules /out/ \
 && for dir in libs/* services/* tools/*; do \
      [ -f "$dir/package.json" ] || continue; \
      mkdir -p "/out/$dir"; \
      cp "$dir/package.json" "/out/$dir/"; \
      for part in dist bin; do [ -d "$dir/$part" ] && cp -R "$dir/$part" "/out/$dir/" || true; done; \
    done \
 && mkdir -p /out/deploy/docker \
 && cp deploy/docker/healthcheck.mjs /out/deploy/docker/

# ---- runtime: Node 24 slim, production files owned by root, run as the unprivileged `node` ------
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    # Programs listen on every interface inside the container (their default is 127.0.0.1).
    HTTP_HOST=0.0.0.0 \
    NETWORK_DIR=/network \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /out /app
# /network (the network material) and /data (orderer WAL and blocks, PGlite) belong to `node`,
# so that named volumes mounted there start out writable by it.
RUN mkdir -p /network /data && chown node:node /network /data
USER node
# Liveness of whichever program runs: GET /healthz on HTTP_PORT (slim images have no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "/app/deploy/docker/healthcheck.mjs", "/healthz"]
CMD ["node", "tools/civic/bin/civic.js", "--help"]
