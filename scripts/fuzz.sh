#!/usr/bin/env bash
# fuzz.sh [FUZZTIME] — run every Go fuzz target in the repository for FUZZTIME
# each: a count of executions like 100000x (the default, what make test uses) or
# a duration like 60s (make bench). Go 1.26's coordinator can report a bare
# "context deadline exceeded" when a duration budget expires mid-execution
# (golang/go#75804, fixed in Go 1.27) without having found anything: with a
# duration, a target fails only when it wrote a failing input or printed
# anything else. Targets are found by grepping for `func FuzzXxx(` in
# *_test.go files, so a new one is picked up without editing this script.
# A failing input is saved under the package's testdata/fuzz/ by go test: commit it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fuzztime=${1:-100000x}
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
	corpus="./$dir/testdata/fuzz/$name"
	before=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
	out=$(mktemp)
	if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "./$dir" 2>&1 | tee "$out"; then
		after=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
		if [[ "$fuzztime" != *x && "$after" == "$before" ]] && grep -q 'context deadline exceeded' "$out" &&
			! grep -qE 'Failing input|panic:|_test.go:[0-9]+:' "$out"; then
			log "fuzz $name: the duration budget ended mid-execution (golang/go#75804); nothing was found"
		else
			rm -f "$out"
			die "fuzz target $name in ./$dir failed (the failing input is in $corpus/)"
		fi
	fi
	rm -f "$out"
	log "fuzz $name: ok in $((SECONDS - start))s"
done <<<"$targets"
