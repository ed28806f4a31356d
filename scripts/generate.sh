#!/usr/bin/env bash
# generate.sh — regenerate all generated code: Ent + entgql (entc), then gqlgen
# (both from ent/generate.go), then the frontend's GraphQL types when
# frontend/package.json has a "codegen" script.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

log "go generate ./ent (entc + entgql, then gqlgen)"
go generate ./ent
if has_npm_script frontend codegen; then
	npm_install frontend
	log "npm run codegen (frontend)"
	(cd frontend && npm run --silent codegen)
else
	log "no frontend codegen script yet: frontend types not generated"
fi
