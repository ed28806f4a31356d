#!/usr/bin/env bash
# lint.sh — go vet, gofmt on the Go code we write (generated files excluded),
# go mod tidy (go.mod lists what the code imports, nothing marked indirect that
# is imported directly), and the frontend's "lint" script when it has one.
#   scripts/lint.sh          all of it (make lint)
#   scripts/lint.sh gofmt    only the gofmt check
#   scripts/lint.sh tidy     only the go mod tidy check (make test runs it)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gofmt_check() {
	local bad
	bad=$(go_source_files | xargs -r gofmt -l)
	if [[ -n "$bad" ]]; then
		printf 'error: these files are not gofmt-formatted (run `make fmt`):\n%s\n' "$bad" >&2
		return 1
	fi
	log "gofmt: clean"
}

# tidy_check: fail when `go mod tidy` would change go.mod or go.sum; they are
# left as they were.
tidy_check() {
	local keep rc=0
	keep=$(mktemp -d)
	cp go.mod go.sum "$keep/"
	go mod tidy || rc=$?
	if ((rc == 0)) && cmp -s go.mod "$keep/go.mod" && cmp -s go.sum "$keep/go.sum"; then
		rm -rf "$keep"
		log "go mod tidy: clean"
		return 0
	fi
	if ((rc == 0)); then
		diff -u "$keep/go.mod" go.mod >&2 || true
	fi
	cp "$keep/go.mod" "$keep/go.sum" .
	rm -rf "$keep"
	cat >&2 <<'MSG'
error: go.mod/go.sum are not tidy (see the diff above; they were left unchanged).
Run `go mod tidy` and commit go.mod and go.sum.
(go.mod et go.sum ne sont pas à jour : lancez `go mod tidy` et committez-les.)
MSG
	return 1
}

case "${1:-all}" in
gofmt)
	gofmt_check
	;;
tidy)
	tidy_check
	;;
all)
	log "go vet ./..."
	go vet ./...
	gofmt_check
	tidy_check
	for dir in frontend e2e; do
		if has_npm_script "$dir" lint; then
			npm_install "$dir"
			log "npm run lint ($dir)"
			(cd "$dir" && npm run lint)
		fi
	done
	;;
*)
	die "usage: scripts/lint.sh [gofmt|tidy]"
	;;
esac
