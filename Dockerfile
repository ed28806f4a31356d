# syntax=docker/dockerfile:1
# SISERI image: the static Go binary and the built SPA on distroless (no shell).
#   docker build -t siseri .          docker compose up --build   (see docker-compose.yml)
# Without SISERI_DATABASE_URL it serves an embedded SQLite in /app/data.

# 1. The single-page app (frontend/dist).
FROM node:20-bookworm AS web
WORKDIR /src/frontend
# All of frontend/ before npm ci: react-dsfr's postinstall (copy-dsfr-to-public)
# needs index.html and public/. The cache mount keeps npm's downloads between builds.
COPY frontend/ ./
RUN --mount=type=cache,target=/root/.npm \
	mkdir -p public && npm ci --no-audit --no-fund && npm run build

# 2. The static binary.
FROM golang:1.26-bookworm AS go
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
	CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/siseri ./backend/cmd/siseri \
	&& mkdir -p /out/data

# 3. Runtime: distroless static, user nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=go /out/siseri /siseri
COPY --from=go --chown=nonroot:nonroot /out/data /app/data
COPY --from=web /src/frontend/dist /app/frontend/dist
ENV SISERI_ADDR=:8080 \
	SISERI_STATIC_DIR=/app/frontend/dist \
	SISERI_DATABASE_URL=/app/data/siseri.db
EXPOSE 8080
USER nonroot:nonroot
# No HEALTHCHECK: distroless has no shell or curl. Probe GET /healthz (liveness)
# and GET /readyz (database reachable) from outside (orchestrator, load balancer).
ENTRYPOINT ["/siseri", "serve"]
