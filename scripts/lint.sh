#!/usr/bin/env bash
# lint.sh — go vet, gofmt on the Go code we write (generated files excluded), and
# the frontend's "lint" script when it has one.
#   scripts/lint.sh          all of it (make lint)
#   scripts/lint.sh gofmt    only the gofmt check
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

case "${1:-all}" in
gofmt)
	gofmt_check
	;;
all)
	log "go vet ./..."
	go vet ./...
	gofmt_check
	for dir in frontend e2e; do
		if has_npm_script "$dir" lint; then
			npm_install "$dir"
			log "npm run lint ($dir)"
			(cd "$dir" && npm run lint)
		fi
	done
	;;
*)
	die "usage: scripts/lint.sh [gofmt]"
	;;
esac
