#!/usr/bin/env bash
# ensure-postgres.sh — a PostgreSQL for the test suite, never a skipped test.
#
#   source scripts/ensure-postgres.sh; siseri_pg_ensure; trap siseri_pg_stop EXIT
#       exports SISERI_TEST_DATABASE_URL (what scripts/test.sh does)
#   scripts/ensure-postgres.sh                 prints `export SISERI_TEST_DATABASE_URL=…`
#   scripts/ensure-postgres.sh CMD [ARGS…]     runs CMD with it, then stops a private cluster
#   scripts/ensure-postgres.sh stop DIR        stops a private cluster left running by the form above
#
# Order of attempts (the first that answers wins):
#   1. SISERI_TEST_DATABASE_URL if already set (it must answer: no fallback then);
#   2. 127.0.0.1:5432 as user postgres with trust authentication;
#   3. the Debian cluster (pg_lsclusters), started with pg_ctlcluster, if it then trusts postgres;
#   4. a private throw-away cluster (initdb --auth=trust in a temp dir, port 55432+, fsync off),
#      installing the `postgresql` package first when there are no binaries (root only).
# SISERI_TEST_PG=private skips 1–3; SISERI_TEST_PG_PORT changes the first port tried for 4.

_pg_log() { printf 'ensure-postgres: %s\n' "$*" >&2; }

# _pg_answers URL: a trust (passwordless) connection runs `select 1`.
_pg_answers() {
	PGCONNECT_TIMEOUT=3 psql "$1" -w -X -A -t -q -c 'select 1' >/dev/null 2>&1
}

_pg_bindir() {
	local d
	if command -v pg_config >/dev/null 2>&1 && d=$(pg_config --bindir 2>/dev/null) && [[ -x "$d/initdb" ]]; then
		echo "$d"
		return
	fi
	d=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	if [[ -n "$d" && -x "$d/initdb" ]]; then
		echo "$d"
		return
	fi
	d=$(command -v initdb 2>/dev/null) && [[ -n "$d" ]] && dirname "$(readlink -f "$d")"
}

# _pg_as_owner CMD…: run as the cluster owner (postgres refuses to run as root).
_pg_as_owner() {
	if [[ $(id -u) -ne 0 ]]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u postgres -- "$@"
	else
		su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
	fi
}

_pg_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_pg_fail() {
	cat >&2 <<'MSG'
ensure-postgres: ÉCHEC — aucun PostgreSQL utilisable pour les tests (ils ne sont jamais sautés).
  Que faire : installez PostgreSQL (sudo apt-get install -y postgresql), puis
    - soit relancez `make test` (il démarre un cluster jetable avec initdb ; en root il passe par l'utilisateur postgres),
    - soit démarrez un serveur sur 127.0.0.1:5432 où l'utilisateur postgres entre sans mot de passe (trust),
    - soit exportez SISERI_TEST_DATABASE_URL=postgres://UTILISATEUR:MOT_DE_PASSE@HÔTE:PORT/postgres?sslmode=disable
      (un rôle qui a le droit CREATEDB).
ensure-postgres: FAILED — no usable PostgreSQL for the tests (they are never skipped).
  What to do: install PostgreSQL (sudo apt-get install -y postgresql), then
    - either run `make test` again (it starts a throw-away cluster with initdb; as root it runs it as user postgres),
    - or start a server on 127.0.0.1:5432 where user postgres logs in without a password (trust),
    - or export SISERI_TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/postgres?sslmode=disable
      (a role with CREATEDB).
MSG
	return 1
}

# _pg_debian_cluster: start a stopped Debian cluster and use it if it trusts postgres.
_pg_debian_cluster() {
	command -v pg_lsclusters >/dev/null 2>&1 || return 1
	local ver name port status url
	while read -r ver name port status _; do
		[[ -n "$ver" ]] || continue
		url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
		if [[ "$status" == online* ]]; then
			_pg_answers "$url" && { SISERI_TEST_DATABASE_URL=$url; return 0; }
			_pg_log "cluster $ver/$name on port $port is running but does not trust postgres@127.0.0.1"
			continue
		fi
		if [[ $(id -u) -ne 0 && $(id -un) != postgres ]]; then
			_pg_log "cluster $ver/$name is down; only root or postgres may start it (pg_ctlcluster $ver $name start)"
			continue
		fi
		_pg_log "starting the Debian cluster: pg_ctlcluster --skip-systemctl-redirect $ver $name start"
		pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 || continue
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			_pg_answers "$url" && { SISERI_TEST_DATABASE_URL=$url; return 0; }
			pg_isready -q -h 127.0.0.1 -p "$port" && break
			sleep 0.5
		done
		_pg_answers "$url" && { SISERI_TEST_DATABASE_URL=$url; return 0; }
		_pg_log "cluster $ver/$name does not trust postgres@127.0.0.1 (pg_hba.conf): stopping it again"
		pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" stop >&2 || true
	done < <(pg_lsclusters -h 2>/dev/null)
	return 1
}

_pg_install() {
	if [[ $(id -u) -ne 0 ]]; then
		_pg_log "no PostgreSQL binaries and not root: run sudo apt-get install -y --no-upgrade postgresql"
		return 1
	fi
	_pg_log "installing PostgreSQL: apt-get install -y --no-upgrade postgresql"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-upgrade postgresql >&2 ||
		{ apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-upgrade postgresql >&2; }
}

# _pg_private: initdb + pg_ctl start in a temp dir; sets SISERI_PG_PRIVATE_DIR.
_pg_private() {
	local bin dir port
	bin=$(_pg_bindir)
	if [[ -z "$bin" ]] || ! command -v psql >/dev/null 2>&1; then
		_pg_install || return 1
		bin=$(_pg_bindir)
		[[ -n "$bin" ]] || return 1
	fi
	if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
		_pg_log "running as root but there is no postgres user to run the server as"
		return 1
	fi
	port=${SISERI_TEST_PG_PORT:-55432}
	local tries=0
	until _pg_port_free "$port"; do
		((++tries < 20)) || { _pg_log "no free port from ${SISERI_TEST_PG_PORT:-55432}"; return 1; }
		port=$((port + 1))
	done
	dir=$(mktemp -d "${TMPDIR:-/tmp}/siseri-pg.XXXXXX") || return 1
	echo "$bin" >"$dir/pgbin"
	[[ $(id -u) -eq 0 ]] && chown -R postgres "$dir"
	_pg_log "starting a private cluster: $bin, port $port, in $dir"
	if ! (cd "$dir" && _pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1); then
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		return 1
	fi
	if ! (cd "$dir" && _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null); then
		tail -n 30 "$dir/server.log" >&2
		rm -rf "$dir"
		return 1
	fi
	SISERI_PG_PRIVATE_DIR=$dir
	SISERI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	_pg_answers "$SISERI_TEST_DATABASE_URL"
}

# siseri_pg_stop [DIR]: stop and delete the private cluster (no-op otherwise).
siseri_pg_stop() {
	local dir=${1:-${SISERI_PG_PRIVATE_DIR:-}}
	[[ -n "$dir" && -f "$dir/pgbin" ]] || return 0
	local bin
	bin=$(cat "$dir/pgbin")
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		(cd "$dir" && _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1) ||
			_pg_log "could not stop the private cluster in $dir"
	fi
	rm -rf "$dir"
	_pg_log "private cluster stopped and removed ($dir)"
	[[ "$dir" == "${SISERI_PG_PRIVATE_DIR:-}" ]] && unset SISERI_PG_PRIVATE_DIR
	return 0
}

# siseri_pg_ensure: export SISERI_TEST_DATABASE_URL pointing at a PostgreSQL that answers.
siseri_pg_ensure() {
	local mode=${SISERI_TEST_PG:-auto}
	case "$mode" in
	auto | private) ;;
	*)
		_pg_log "SISERI_TEST_PG must be auto or private, not $mode"
		return 1
		;;
	esac
	if ! command -v psql >/dev/null 2>&1 && [[ -z "$(_pg_bindir)" ]]; then
		_pg_install || { _pg_fail; return 1; }
	fi
	if [[ "$mode" == auto ]]; then
		if [[ -n "${SISERI_TEST_DATABASE_URL:-}" ]]; then
			if _pg_answers "$SISERI_TEST_DATABASE_URL"; then
				export SISERI_TEST_DATABASE_URL
				_pg_log "using SISERI_TEST_DATABASE_URL as given"
				return 0
			fi
			_pg_log "SISERI_TEST_DATABASE_URL is set but does not answer (passwordless select 1): $SISERI_TEST_DATABASE_URL"
			_pg_fail
			return 1
		fi
		local url="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
		if _pg_answers "$url"; then
			export SISERI_TEST_DATABASE_URL=$url
			_pg_log "using the server on 127.0.0.1:5432 (trust)"
			return 0
		fi
		if _pg_debian_cluster; then
			export SISERI_TEST_DATABASE_URL
			_pg_log "using the Debian cluster: $SISERI_TEST_DATABASE_URL"
			return 0
		fi
	fi
	if _pg_private; then
		export SISERI_TEST_DATABASE_URL
		return 0
	fi
	siseri_pg_stop
	_pg_fail
	return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	if [[ "${1:-}" == stop ]]; then
		[[ -n "${2:-}" ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }
		siseri_pg_stop "$2"
		exit 0
	fi
	siseri_pg_ensure
	if [[ $# -gt 0 ]]; then
		trap siseri_pg_stop EXIT
		"$@"
		exit $?
	fi
	printf "export SISERI_TEST_DATABASE_URL='%s'\n" "$SISERI_TEST_DATABASE_URL"
	if [[ -n "${SISERI_PG_PRIVATE_DIR:-}" ]]; then
		_pg_log "the private cluster keeps running; stop it with: $0 stop $SISERI_PG_PRIVATE_DIR"
	fi
fi
