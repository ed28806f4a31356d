#!/usr/bin/env bash
# test.sh — the whole test suite, in order, stopping at the first failure.
#
#   scripts/test.sh          everything (make test, .ci/run)
#   scripts/test.sh go       tools + PostgreSQL + go test ./...  (make test-go)
#   scripts/test.sh web      frontend unit tests                 (make test-web)
#   scripts/test.sh e2e      PostgreSQL + builds + Playwright    (make test-e2e)
#
# Environment: SISERI_TEST_PG=private forces a throw-away PostgreSQL cluster;
# SISERI_TEST_DATABASE_URL uses that server; GOTESTFLAGS adds flags to go test
# (e.g. GOTESTFLAGS=-race); FUZZTIME changes the per-target fuzzing budget (100000x executions).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source scripts/ensure-postgres.sh

suite=${1:-all}
SUITE_START=$SECONDS
STEP_TIMES=()

summary() {
	local line
	if ((${#STEP_TIMES[@]})); then
		printf '\n%-28s %s\n' "step" "duration" >&2
		for line in "${STEP_TIMES[@]}"; do printf '%s\n' "$line" >&2; done
		printf '%-28s %ss\n' "total" "$((SECONDS - SUITE_START))" >&2
	fi
}

on_exit() {
	local rc=$?
	siseri_pg_stop
	summary
	if ((rc == 0)); then
		printf '\nOK: test suite "%s" passed in %ss\n' "$suite" "$((SECONDS - SUITE_START))" >&2
	fi
	exit "$rc"
}
trap on_exit EXIT

# step NAME CMD…: run one step in a subshell (errexit applies inside), time it, and
# stop the suite with a clear message if it fails. SISERI_STEP_HERE=1 runs it in
# this shell instead, for a step that must export variables (postgresql).
step() {
	local name=$1 start=$SECONDS rc=0
	shift
	printf '\n==> [%s] %s\n' "$name" "$*" >&2
	if [[ "${SISERI_STEP_HERE:-}" == 1 ]]; then
		"$@" || rc=$?
	else
		set +e
		(
			set -e
			"$@"
		)
		rc=$?
		set -e
	fi
	STEP_TIMES+=("$(printf '%-28s %ss%s' "$name" "$((SECONDS - start))" "$( ((rc)) && echo '  FAILED')")")
	if ((rc)); then
		printf '\nFAILED at step "%s" (exit status %d, after %ss). Fix it and run `make test` again.\n' \
			"$name" "$rc" "$((SECONDS - start))" >&2
		exit "$rc"
	fi
	printf '<== [%s] ok in %ss\n' "$name" "$((SECONDS - start))" >&2
}

tools_go() { go mod download; }
tools_web() { npm_install frontend; }
# PostGraphile, the read benchmark's baseline (TestReadsPostGraphile runs it).
tools_postgraphile() { npm_install bench/postgraphile; }
tools_e2e() {
	[[ -f e2e/package.json ]] || return 0
	npm_install e2e
	ensure_chromium
}
ensure_pg() {
	siseri_pg_ensure || return 1
	printf 'SISERI_TEST_DATABASE_URL=%s\n' "$SISERI_TEST_DATABASE_URL" >&2
}
go_vet() { go vet ./...; }
go_test() {
	# shellcheck disable=SC2086 # GOTESTFLAGS is a list of flags
	# -count=1: the suite depends on a live database, never on cached results.
	go test -count=1 ${GOTESTFLAGS:-} ./...
}
compose_check() { go run ./backend/cmd/composecheck -q docker-compose.yml; }
web_test() {
	if [[ ! -f frontend/package.json ]]; then
		echo "frontend/package.json not there yet: no frontend tests to run"
		return 0
	fi
	has_npm_script frontend test || die 'frontend/package.json has no "test" script'
	(cd frontend && npm test)
}
builds() {
	scripts/web.sh
	CGO_ENABLED=0 go build -o bin/siseri ./backend/cmd/siseri
}
e2e_test() {
	if [[ ! -f e2e/package.json ]]; then
		echo "e2e/package.json not there yet: no browser tests to run"
		return 0
	fi
	has_npm_script e2e test || die 'e2e/package.json has no "test" script'
	# What the browser tests get: the binary and SPA just built, Chromium, PostgreSQL.
	export SISERI_BIN="$SISERI_ROOT/bin/siseri" SISERI_STATIC_DIR="$SISERI_ROOT/frontend/dist"
	export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
	(cd e2e && npm test)
}

case "$suite" in
all)
	step "tools: go modules" tools_go
	step "tools: postgraphile npm ci" tools_postgraphile
	step "tools: frontend npm ci" tools_web
	step "tools: e2e npm + chromium" tools_e2e
	SISERI_STEP_HERE=1 step "postgresql" ensure_pg
	step "check-generate" scripts/check-generate.sh
	step "schema check" scripts/schema-check.sh
	step "go vet" go_vet
	step "gofmt" scripts/lint.sh gofmt
	step "go mod tidy" scripts/lint.sh tidy
	step "go test" go_test
	step "fuzz (${FUZZTIME:-100000x} per target)" scripts/fuzz.sh "${FUZZTIME:-100000x}"
	step "compose check" compose_check
	step "frontend tests" web_test
	step "build web + go" builds
	step "e2e tests" e2e_test
	;;
go)
	step "tools: go modules" tools_go
	step "tools: postgraphile npm ci" tools_postgraphile
	SISERI_STEP_HERE=1 step "postgresql" ensure_pg
	step "go test" go_test
	;;
web)
	step "tools: frontend npm ci" tools_web
	step "frontend tests" web_test
	;;
e2e)
	step "tools: frontend npm ci" tools_web
	step "tools: e2e npm + chromium" tools_e2e
	SISERI_STEP_HERE=1 step "postgresql" ensure_pg
	step "build web + go" builds
	step "e2e tests" e2e_test
	;;
*)
	die "unknown suite \"$suite\" (all, go, web or e2e)"
	;;
esac
