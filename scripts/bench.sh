#!/usr/bin/env bash
# bench.sh — every Go benchmark (on PostgreSQL, like the tests), then longer fuzzing.
#   FUZZTIME (default 60s per target), BENCHFLAGS (extra go test flags, e.g. -count=5)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source scripts/ensure-postgres.sh

siseri_pg_ensure
trap siseri_pg_stop EXIT
log "go test -run='^\$' -bench=. -benchmem ./..."
# shellcheck disable=SC2086
go test -run='^$' -bench=. -benchmem ${BENCHFLAGS:-} ./...
scripts/fuzz.sh "${FUZZTIME:-60s}"
