# shellcheck shell=bash
# scale-db.sh — a national-scale PostgreSQL database for the read benchmarks,
# built by `siseri seed` (bulk COPY path). Source it, then call siseri_scale_db;
# it exports SISERI_SCALE_DATABASE_URL.
#   SCALE_WORKERS (default 20000: ~0.6 M dose records in ~1 min; 32000 and
#   SCALE_MONTHS=24 give ~1 M; 400000 and 38 give ~20 M in ~15–25 min, 10–15 GB)
#   SCALE_MONTHS  (default 24, 24 to 120)
#   SCALE_KEEP=1  keep the database after the run (it is reused by the next
#                 run with the same size); otherwise it is dropped on exit.
# Needs bin/siseri and SISERI_TEST_DATABASE_URL (the maintenance database).

# scale_url NAME: SISERI_TEST_DATABASE_URL with its database replaced by NAME.
scale_url() {
	local admin="${SISERI_TEST_DATABASE_URL}" query=""
	if [[ "$admin" == *\?* ]]; then query="?${admin#*\?}"; fi
	local base="${admin%%\?*}"
	printf '%s/%s%s' "${base%/*}" "$1" "$query"
}

siseri_scale_db() {
	local workers="${SCALE_WORKERS:-20000}" months="${SCALE_MONTHS:-24}"
	local name="siseri_scale_w${workers}_m${months}"
	local url
	url="$(scale_url "$name")"
	export SISERI_SCALE_DATABASE_URL="$url"
	if [[ "${SCALE_KEEP:-}" != 1 ]]; then
		SISERI_SCALE_DROP="$name"
	fi
	# Reuse a complete database of the same size (kept by SCALE_KEEP=1).
	if psql "$url" -Atqc "SELECT count(*) FROM workers" 2>/dev/null | grep -qx "$workers" &&
		psql "$url" -Atqc "SELECT count(*) > 0 FROM context_statistics" 2>/dev/null | grep -qx t; then
		log "scale database $name reused"
		return 0
	fi
	psql "$SISERI_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null
	psql "$SISERI_TEST_DATABASE_URL" -qc "CREATE DATABASE $name" >/dev/null
	log "siseri seed --workers $workers --months $months ($name)"
	bin/siseri seed --mode bulk --workers "$workers" --months "$months" --database-url "$url"
}

# siseri_scale_drop drops the scale database unless SCALE_KEEP=1.
siseri_scale_drop() {
	if [[ -n "${SISERI_SCALE_DROP:-}" ]]; then
		psql "$SISERI_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS ${SISERI_SCALE_DROP} WITH (FORCE)" >/dev/null || true
	fi
}
