#!/usr/bin/env bash
# bench.sh — every Go benchmark (on PostgreSQL, like the tests), then longer fuzzing.
#   FUZZTIME (default 60s per target), BENCHFLAGS (extra go test flags, e.g. -count=5)
#   SCALE_WORKERS, SCALE_MONTHS, SCALE_KEEP: the national-scale database the read
#   benchmarks use (SISERI_SCALE_DATABASE_URL), built first by `siseri seed`; see
#   scripts/scale-db.sh (default 20,000 workers over 24 months, ~0.6 M records).
#   READS_CLIENTS (default 8), READS_DURATION (10s per load), READS_PAGES (50,500):
#   `siseri bench reads` on that database: AdviserWorkers at each page size, then
#   FollowedWorkers (first page size) and PhysicianWorkerFile as the demo physician
#   and NationalDoses as the demo analyst, each against hand SQL returning the same
#   rows (checked first), with and without the audit append, and PostGraphile
#   (pinned in bench/postgraphile, installed here by npm ci; needs node) on the
#   same tables in the same run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source scripts/ensure-postgres.sh
source scripts/scale-db.sh

siseri_pg_ensure
trap 'siseri_scale_drop; siseri_pg_stop' EXIT
CGO_ENABLED=0 go build -o bin/siseri ./backend/cmd/siseri
npm_install bench/postgraphile
siseri_scale_db
log "go test -run='^\$' -bench=. -benchmem ./..."
# shellcheck disable=SC2086
go test -run='^$' -bench=. -benchmem ${BENCHFLAGS:-} ./...
log "siseri bench ingest --records ${INGEST_RECORDS:-100000}"
SISERI_DATABASE_URL="${SISERI_TEST_DATABASE_URL}" bin/siseri bench ingest --records "${INGEST_RECORDS:-100000}"
log "siseri bench fanout --subscribers ${FANOUT_SUBSCRIBERS:-2000} --alerts ${FANOUT_ALERTS:-200}"
SISERI_DATABASE_URL="${SISERI_TEST_DATABASE_URL}" bin/siseri bench fanout --subscribers "${FANOUT_SUBSCRIBERS:-2000}" --alerts "${FANOUT_ALERTS:-200}"
log "siseri bench reads --clients ${READS_CLIENTS:-8} --duration ${READS_DURATION:-10s} (SISERI_SCALE_DATABASE_URL)"
bin/siseri bench reads --clients "${READS_CLIENTS:-8}" --duration "${READS_DURATION:-10s}" --pages "${READS_PAGES:-50,500}"
scripts/fuzz.sh "${FUZZTIME:-60s}"
