# ipreg: one image for the pipelines (ipreg run …) and the resolver (ipreg serve).
# Not built on the development machines (no Docker there); CI of the deployment builds and pushes it:
#   docker build -t <account>.dkr.ecr.<region>.amazonaws.com/ipreg:<version> . && docker push …

# Build: every dependency, then the TypeScript compiled to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY pipelines ./pipelines
COPY schemas ./schemas
COPY scripts/copy-data.mjs ./scripts/
RUN npm run build

# Run: the runtime dependencies only (DuckDB's native binding for linux-x64 glibc among them), the
# compiled code, the sample queries; as the unprivileged user of the node image.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas/queries ./schemas/queries
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
