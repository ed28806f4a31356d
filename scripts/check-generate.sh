#!/usr/bin/env bash
# check-generate.sh — fail when the generated code is out of date: runs
# generate.sh and compares the generated paths before and after, file by file,
# so a dirty working tree elsewhere (or even there) does not make it fail; only
# a change made by the generators does. First, it checks that the migrations of
# backend/store/migrations/ create exactly the schema of ent/schema and match
# their atlas.sum (PostgreSQL needed: make test ensures it; alone, it fails
# with what to do).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GENERATED=(ent graph frontend/src/graphql frontend/index.html backend/store/migrations go.mod go.sum)

snapshot() {
	local f
	{
		git ls-files -- "${GENERATED[@]}"
		git ls-files --others --exclude-standard -- "${GENERATED[@]}"
	} | sort -u | while IFS= read -r f; do
		if [[ -f "$f" ]]; then
			sha256sum -- "$f"
		else
			printf 'absent  %s\n' "$f"
		fi
	done
}

# First (it fails fast without PostgreSQL): the migrations against ent/schema as
# generated now; a stale ent/ is caught by the comparison below.
log "migrations against ent/schema"
go run ./backend/cmd/migrations check

before=$(mktemp) after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
snapshot >"$before"
scripts/generate.sh
snapshot >"$after"
# Files that appeared during generation are in $after only; list them as absent before.
changed=$(LC_ALL=C join -j 2 -a 1 -a 2 -e absent -o 0,1.1,2.1 <(LC_ALL=C sort -k2 "$before") <(LC_ALL=C sort -k2 "$after") |
	awk '$2 != $3 { print "  " $1 }')
if [[ -n "$changed" ]]; then
	cat >&2 <<MSG

error: the generated code is not up to date. \`make generate\` changed:
$changed
Commit these changes (they come from ent/schema, gqlgen.yml, graph/schema/*.graphqls or
the frontend's GraphQL documents and the DSFR icons it uses), or fix the generator inputs so that generation is stable.
(Le code généré n'est pas à jour : lancez \`make generate\` et committez le résultat.)
MSG
	exit 1
fi
log "generated code is up to date"
