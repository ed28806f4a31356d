#!/usr/bin/env bash
# generate.sh — regenerate all generated code: Ent + entgql (entc), then gqlgen
# (both from ent/generate.go), then the frontend's GraphQL types when
# frontend/package.json has a "codegen" script, and the DSFR icons the SPA uses
# (public/dsfr/utility/icons and the ?hash= of their link in frontend/index.html,
# which `npm ci` also rewrites through the postinstall script). It never writes
# migrations: `make migration NAME=…` does, and check-generate says when one is due.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

log "go generate ./ent (entc + entgql, then gqlgen)"
go generate ./ent
if has_npm_script frontend codegen; then
	npm_install frontend
	log "npm run codegen (frontend)"
	(cd frontend && npm run --silent codegen)
	log "react-dsfr update-icons (frontend/index.html)"
	(cd frontend && npx --no-install react-dsfr update-icons >/dev/null)
else
	log "no frontend codegen script yet: frontend types not generated"
fi
