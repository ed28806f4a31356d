#!/usr/bin/env bash
# web.sh — build the SPA into frontend/dist (npm ci first when node_modules is
# missing or the lock file changed). A no-op until frontend/package.json exists.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -f frontend/package.json ]]; then
	log "frontend/package.json not there yet: no SPA to build (the server runs without it)"
	exit 0
fi
npm_install frontend
log "npm run build (frontend)"
(cd frontend && npm run build)
