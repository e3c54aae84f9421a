# Tagscope's container image: the standalone build (`npm run build`: scripts/standalone.mjs)
# and nothing else, run by an unprivileged user. README "Deploy" says how to run it.
#   docker build -t tagscope .
#   docker run -p 3000:3000 -v tagscope-data:/app/.data tagscope
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 (tag history's embedded database) builds from source where no prebuilt binary
# can be fetched; the slim image has no compiler. Only this stage has them.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm install, not npm ci: npm ci rejects a lockfile made on another platform (.ci/run).
RUN npm install --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The heap cap `npm start` sets (docs/performance.md). HOSTNAME: every interface; without it the
# server would listen on the container's name only, which Docker puts in HOSTNAME.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NODE_OPTIONS=--max-old-space-size=256 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# Exactly scripts/standalone-entries.mjs' list, owned by root: the server cannot change its code.
COPY --from=build /app/.next/standalone/server.js ./server.js
COPY --from=build /app/.next/standalone/scripts ./scripts
COPY --from=build /app/.next/standalone/package.json ./package.json
COPY --from=build /app/.next/standalone/node_modules ./node_modules
COPY --from=build /app/.next/standalone/.next ./.next
COPY --from=build /app/.next/standalone/public ./public
# The disk cache (TAGSCOPE_CACHE_DIR, default .data/cache) and the history database
# (TAGSCOPE_DATA_DIR, default .data): the one place the server writes.
# Made before VOLUME so a new volume starts owned by the server's user.
RUN mkdir .data && chown node:node .data
VOLUME /app/.data
# `node`, the unprivileged user of the official Node.js images.
USER node
EXPOSE 3000
# Node's own fetch: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
