#!/usr/bin/env bash
# dev.sh — development loop: the Go server with demo data on :8080 (SISERI_DEMO=0: none) and, when the
# frontend exists, Vite's dev server (hot reload) on :5173 proxying /graphql to it.
# Ctrl-C stops both. Restart it after changing Go code.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export SISERI_DATABASE_URL=${SISERI_DATABASE_URL:-./data/siseri.db}
export SISERI_ADDR=${SISERI_ADDR:-:8080}
export SISERI_LOG_LEVEL=${SISERI_LOG_LEVEL:-debug}
export SISERI_DEMO=${SISERI_DEMO:-1}
# Where vite.config.ts proxies /graphql.
export API_URL=${API_URL:-http://127.0.0.1:${SISERI_ADDR##*:}}
# The Vite proxy keeps the page's Host, so websockets are same-origin; these cover a browser on :5173 directly.
export SISERI_ALLOWED_ORIGINS=${SISERI_ALLOWED_ORIGINS:-http://localhost:5173,http://127.0.0.1:5173}
[[ "$SISERI_DATABASE_URL" == postgres* ]] || mkdir -p "$(dirname "$SISERI_DATABASE_URL")"

log "go build -o bin/siseri ./backend/cmd/siseri"
CGO_ENABLED=0 go build -o bin/siseri ./backend/cmd/siseri

# Each background job gets its own process group (job control), so stopping the
# group also stops what npm starts underneath (see STACK.md G10).
set -m
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin/siseri serve &
pids+=($!)
if [[ -f frontend/package.json ]]; then
	npm_install frontend
	(cd frontend && exec npm run dev) &
	pids+=($!)
	log "API on http://localhost:${SISERI_ADDR##*:}/ — app with hot reload on http://localhost:5173/"
else
	log "no frontend yet: API on http://localhost:${SISERI_ADDR##*:}/"
fi
wait -n
