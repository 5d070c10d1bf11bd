# syntax=docker/dockerfile:1
# Skjold's own image, hardened the way Skjold hardens its tenants (seed §1, §2):
# multi-stage, base images pinned by digest, production dependencies only, no npm or compilers in the
# runtime stage, a dedicated non-root user (UID 10001), files owned by root and read-only to the app,
# a health check. Refresh the digests as described in docs/operations.md ("Base image digests").
# The node digest is the one public references give for node:20.20.2-bookworm-slim (engines: >=20.19).

# --- deps: every dependency, exactly as locked. Install scripts stay off (package.json allowScripts
# approves none); the Prisma client is generated explicitly, which needs no engine download.
FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
RUN npm ci --ignore-scripts && node scripts/prisma-generate.mjs

# --- build: compile the portal, then drop devDependencies and build leftovers.
FROM deps AS build
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && rm -rf .next/cache .next/standalone

# --- runtime: what runs in production, nothing else.
FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    SKJOLD_DATA_DIR=/var/lib/skjold
# The package managers are build tools: removing them shrinks what an intruder can use and what a
# scanner has to report. The app user owns only its scratch folders, never its own code.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --system --gid 10001 skjold \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin skjold \
 && mkdir -p /app/.next/cache /var/lib/skjold \
 && chown 10001:10001 /app/.next/cache /var/lib/skjold \
 && chmod 0700 /var/lib/skjold
WORKDIR /app
COPY --from=build /app/package.json /app/next.config.js /app/tsconfig.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/deploy/healthcheck.mjs ./deploy/healthcheck.mjs
USER 10001:10001
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs", "portal"]
# `next start` serves the prebuilt portal; instrumentation migrates and seeds on boot. (scripts/start.mjs
# is the checkout's launcher: it rebuilds when git says the sources changed, which a read-only image
# without git must never do.) The worker and the migrator run from the same image:
#   node --import tsx scripts/worker.ts      node --import tsx scripts/migrate.ts
CMD ["node", "node_modules/next/dist/bin/next", "start", "--hostname", "0.0.0.0", "--port", "3000"]
