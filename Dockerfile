# syntax=docker/dockerfile:1
# One image for the three apps (ingest API, worker, Genesys simulator); docker-compose.yml picks the command per
# service. Build: docker build -t dirsync .   Run one: docker run --rm dirsync node apps/worker/dist/main.js

# The base image of every stage. Pin it by digest for a reproducible, reviewable supply chain (the tag moves):
#   docker buildx imagetools inspect node:20-bookworm-slim        # prints the current "Digest: sha256:…"
#   docker build --build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:<that digest> -t dirsync .
# No digest is written here: none could be looked up where this file was written, and an invented one would fail.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS pnpm
# A pinned global pnpm rather than corepack: corepack's signature check fails behind some registry mirrors.
RUN npm install -g pnpm@12.4.2 && npm cache clean --force
ENV CI=true
WORKDIR /app

FROM pnpm AS build
# The lockfile alone fills the store, so this layer is rebuilt only when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc package.json ./
RUN --mount=type=cache,id=dirsync-pnpm-store,target=/pnpm/store \
    pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=dirsync-pnpm-store,target=/pnpm/store \
    pnpm install --offline --frozen-lockfile --store-dir /pnpm/store \
 && pnpm run build
# Then only what the three apps need at run time, in a fresh tree (pnpm does not shrink an existing one without
# asking): their production dependencies and those of the workspace packages they use. --filter-prod does not
# follow devDependencies, so test-only workspace packages (@dirsync/testing: vitest, testcontainers) stay out.
# No TypeScript sources either: the apps run from dist/; mappings/ and policies/ stay (the default mapping and
# role policy are read from there).
RUN --mount=type=cache,id=dirsync-pnpm-store,target=/pnpm/store \
    rm -rf node_modules apps/*/node_modules packages/*/node_modules \
 && pnpm install --offline --prod --frozen-lockfile --store-dir /pnpm/store \
      --filter-prod '@dirsync/ingest-api...' --filter-prod '@dirsync/worker...' --filter-prod '@dirsync/genesys-sim-app...' \
 && rm -rf apps/*/src packages/*/src packages/testing scripts biome.json vitest.config.ts \
      tsconfig*.json apps/*/tsconfig*.json packages/*/tsconfig*.json

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (the apps shut down gracefully on it) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Production mode: the API refuses to start without WEBHOOK_SECRET (at least 24 random bytes) and the admin
# credentials (a password of at least 16 characters), so `docker run` of this image never takes unsigned webhooks.
ENV NODE_ENV=production
# Owned by root, run as node: the process cannot rewrite its own code.
COPY --from=build /app /app
USER node
# 3000 ingest API, 4010 Genesys simulator, 9464 worker /metrics and /healthz.
EXPOSE 3000 4010 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/ingest-api/dist/main.js"]
