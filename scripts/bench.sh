#!/usr/bin/env bash
# `make bench`: the benchmark database (the four addons, no demo), filled by
# tests/bench/generate.py at the scale asked for, then tests/bench/runner.py
# prints every benchmark against the stock-Odoo baseline measured in the same run.
#
#   BENCH_SCALE=small|full|tiny   data volume (default small, ~10k partners; full = 1M)
#   BENCH_DB=name                 database (default crm_suite_bench)
#   BENCH_ONLY="topic ..."        run only tests/bench/bench_<topic>.py
#   BENCH_REGENERATE=1            drop the database and generate again
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${BENCH_DB:-crm_suite_bench}
SCALE=${BENCH_SCALE:-small}
require_odoo
ensure_venv
ensure_postgres

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
write_odoo_conf "$WORK/odoo.conf" "$DB"
export ODOO_DATA_DIR=${ODOO_DATA_DIR:-$REPO_ROOT/.odoo-data}
run_py() { PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" "$@"; }

# The addons' code this database was made or last updated with.
addons_hash() {
  (cd "$REPO_ROOT" && find ${ADDONS//,/ } -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' \) \
    -not -path '*/tests/*' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}
param() { psql -qtAX -d "$DB" -c "SELECT value FROM ir_config_parameter WHERE key = '$1'" 2>/dev/null || true; }
set_param() {
  psql -qX -d "$DB" -v key="$1" -v value="$2" >/dev/null <<'SQL'
INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
VALUES (:'key', :'value', 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
SQL
}

if [ -n "${BENCH_REGENERATE:-}" ] && db_exists "$DB"; then
  log "BENCH_REGENERATE: dropping $DB"
  dropdb "$DB"
fi

# Generated data at another scale: start again from an empty database.
wanted=$(run_py -c "import sys; sys.path.insert(0, '$REPO_ROOT'); from tests.bench.generate import counts_for, scale_label; print(scale_label(counts_for('$SCALE')))")
if db_exists "$DB"; then
  current=$(param crm_bench.scale)
  if [ -n "$current" ] && [ "$current" != "$wanted" ]; then
    log "$DB holds $current, $SCALE is $wanted: dropping it to generate again"
    dropdb "$DB"
  fi
fi

if ! db_exists "$DB"; then
  log "Creating $DB with ${ADDONS} (no demo data; a few minutes)"
  odoo_bin -d "$DB" -i "$ADDONS" --without-demo=all --data-dir="$ODOO_DATA_DIR" --stop-after-init \
    --log-level=warn --max-cron-threads=0 --http-port="${BENCH_HTTP_PORT:-18069}" \
    || { dropdb --if-exists "$DB"; die "Creating $DB failed (log above)."; }
  set_param crm_bench.addons_hash "$(addons_hash)"
elif [ "$(param crm_bench.addons_hash)" != "$(addons_hash)" ]; then
  log "The addons changed since $DB was built: updating them"
  odoo_bin -d "$DB" -u "$ADDONS" --data-dir="$ODOO_DATA_DIR" --stop-after-init \
    --log-level=warn --max-cron-threads=0 --http-port="${BENCH_HTTP_PORT:-18069}" \
    || die "Updating the addons in $DB failed (log above)."
  set_param crm_bench.addons_hash "$(addons_hash)"
fi

if [ -z "$(param crm_bench.scale)" ]; then
  log "Generating the $SCALE data set ($wanted) into $DB"
  run_py "$REPO_ROOT/tests/bench/generate.py" -c "$WORK/odoo.conf" -d "$DB" --scale "$SCALE" \
    || die "Generating the data failed (above)."
else
  log "Reusing the data of $DB ($wanted)"
fi

log "Running the benchmarks"
# shellcheck disable=SC2086
run_py "$REPO_ROOT/tests/bench/runner.py" -c "$WORK/odoo.conf" -d "$DB" ${BENCH_ONLY:-}
