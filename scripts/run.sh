#!/usr/bin/env bash
# run.sh — build the SPA and the binary, then serve with demo data on an embedded
# SQLite database (./data/siseri.db; no server to install): http://localhost:8080
# SISERI_DATABASE_URL=postgres://… uses PostgreSQL instead; SISERI_ADDR changes the address.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

scripts/web.sh
log "go build -o bin/siseri ./backend/cmd/siseri"
CGO_ENABLED=0 go build -o bin/siseri ./backend/cmd/siseri
export SISERI_DATABASE_URL=${SISERI_DATABASE_URL:-./data/siseri.db}
export SISERI_ADDR=${SISERI_ADDR:-:8080}
[[ "$SISERI_DATABASE_URL" == postgres* ]] || mkdir -p "$(dirname "$SISERI_DATABASE_URL")"
port=${SISERI_ADDR##*:}
log "SISERI on http://localhost:${port}/ (database: $SISERI_DATABASE_URL) — Ctrl-C to stop"
exec bin/siseri serve --demo "$@"
