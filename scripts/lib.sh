# shellcheck shell=bash
# Helpers shared by the scripts in this folder. Source it; it moves to the
# repository root so every script can use paths relative to it.

SISERI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$SISERI_ROOT" || exit 1

# Go files that are Go code we write (not generated, not testdata), NUL-free, one per line.
# Generated files are recognised by Go's standard header (https://go.dev/s/generatedcode).
go_source_files() {
	find . \( -name .git -o -name node_modules -o -name testdata -o -name vendor \) -prune -o -type f -name '*.go' -print |
		sed 's|^\./||' | sort |
		xargs -r grep -L -E '^// Code generated .* DO NOT EDIT\.$'
}

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# has_npm_script DIR NAME: DIR/package.json defines scripts.NAME.
has_npm_script() {
	[[ -f "$1/package.json" ]] || return 1
	node -e 'process.exit(((require(process.argv[1]).scripts || {})[process.argv[2]]) ? 0 : 1)' \
		"$SISERI_ROOT/$1/package.json" "$2"
}

# npm_install DIR: `npm ci` in DIR when node_modules is missing or package-lock.json
# changed since the last install (a hash is kept in node_modules/.siseri-lock.sha256).
npm_install() {
	local dir=$1 stamp="$1/node_modules/.siseri-lock.sha256" sum
	[[ -f "$dir/package.json" ]] || return 0
	[[ -f "$dir/package-lock.json" ]] ||
		die "$dir/package-lock.json is missing: run \`npm install\` in $dir and commit the lock file (npm ci needs it)"
	sum=$(sha256sum "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -d' ' -f1)
	if [[ -d "$dir/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
		return 0
	fi
	log "npm ci in $dir"
	(cd "$dir" && npm ci --no-audit --no-fund) || die "npm ci failed in $dir"
	mkdir -p "$dir/node_modules"
	printf '%s\n' "$sum" >"$stamp"
}

# ensure_chromium: Debian's Chromium for the Playwright tests (CHROMIUM_PATH overrides).
ensure_chromium() {
	local path=${CHROMIUM_PATH:-/usr/bin/chromium}
	[[ -x "$path" ]] && return 0
	if [[ -n "${CHROMIUM_PATH:-}" ]]; then
		die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
	fi
	if ! is_root; then
		die "Chromium is missing for the e2e tests. Run: sudo apt-get install -y --no-upgrade chromium
       (Chromium manque pour les tests e2e : lancez sudo apt-get install -y --no-upgrade chromium)"
	fi
	log "installing Chromium (apt-get install -y --no-upgrade chromium)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-upgrade chromium ||
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-upgrade chromium; } ||
		die "could not install chromium with apt-get"
}
