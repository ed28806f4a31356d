#!/usr/bin/env bash
# migration.sh NAME — write the next versioned migration, for PostgreSQL and
# SQLite, from the difference between backend/store/migrations/<dialect>/ and
# ent/schema (make migration NAME=what_changed). PostgreSQL is needed: the
# directory is replayed on a throw-away database of the test server (found or
# started like the tests do); SQLite runs in memory. A change that drops a
# table or a column is refused. See docs/migrations.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source scripts/ensure-postgres.sh

name=${1:-}
[[ -n "$name" ]] || die "usage: make migration NAME=what_changed (lower-case letters, digits and _)
       (usage : make migration NAME=ce_qui_change)"
siseri_pg_ensure
trap siseri_pg_stop EXIT
go run ./backend/cmd/migrations new "$name"
