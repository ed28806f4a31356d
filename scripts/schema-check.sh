#!/usr/bin/env bash
# schema-check.sh — list the breaking changes of the GraphQL schema since the
# last release (graph/schema.released.graphqls) and fail when one is not
# acknowledged in graph/schema.acknowledged.txt (docs/schema-changes.md).
#
#   scripts/schema-check.sh            check (make schema-check, make test)
#   scripts/schema-check.sh release    record the current schema as released (make schema-release)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ "${1:-}" == release ]]; then
	log "recording the current schema as released (graph/schema.released.graphqls)"
	go run ./backend/cmd/schemacheck -release
else
	go run ./backend/cmd/schemacheck
fi
