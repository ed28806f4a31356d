#!/usr/bin/env bash
# fuzz.sh [FUZZTIME] — run every Go fuzz target in the repository for FUZZTIME
# (default 5s) each. Targets are found by grepping for `func FuzzXxx(` in
# *_test.go files, so a new one is picked up without editing this script.
# A failing input is saved under the package's testdata/fuzz/ by go test: commit it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fuzztime=${1:-5s}
targets=$(grep -r -E -o --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git \
	'^func Fuzz[A-Za-z0-9_]*\(' . | sed -E 's|^\./||; s|/[^/]*:func (Fuzz[A-Za-z0-9_]*)\($| \1|' | sort -u)
if [[ -z "$targets" ]]; then
	log "no fuzz targets"
	exit 0
fi
n=$(wc -l <<<"$targets")
log "$n fuzz targets, $fuzztime each"
while read -r dir name; do
	start=$SECONDS
	log "fuzz $name in ./$dir"
	go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "./$dir" ||
		die "fuzz target $name in ./$dir failed (the failing input is in ./$dir/testdata/fuzz/$name/)"
	log "fuzz $name: ok in $((SECONDS - start))s"
done <<<"$targets"
