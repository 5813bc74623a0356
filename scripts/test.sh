#!/usr/bin/env bash
# `make test`: a throw-away database with the four addons (and their demo data,
# so the demo is checked too), every test of every addon and of tests/ through
# pytest-odoo with HttpCase tours in headless Chromium, then the database is dropped.
# Any skipped test fails the run (conftest.py): a skip here means a broken setup.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_odoo
ensure_venv
ensure_postgres
ensure_system_packages test || exit 1
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
  || die "HttpCase tours need Chromium: apt-get install chromium"
"$VENV/bin/python" -c 'import websocket' 2>/dev/null \
  || die "HttpCase tours need the websocket-client package in $VENV (pip install websocket-client)."

DB=${TEST_DB:-crm_suite_test_$$}
WORK=$(mktemp -d)
export ODOO_DATA_DIR=${ODOO_DATA_DIR:-$REPO_ROOT/.odoo-data}
export ODOO_TEST_HTTP_PORT=${ODOO_TEST_HTTP_PORT:-$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cleanup() {
  if [ -z "${KEEP_DB:-}" ]; then
    dropdb --if-exists "$DB" 2>/dev/null || true
    rm -rf "$ODOO_DATA_DIR/filestore/$DB"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Developers iterating may keep a database (KEEP_DB=1 TEST_DB=name) and reuse it
# (REUSE_DB=1 TEST_DB=name): the addons are then updated instead of installed.
mode=-i
if [ -n "${REUSE_DB:-}" ] && db_exists "$DB"; then mode=-u; fi
log "Installing ${ADDONS} into database $DB ($mode)"
odoo_bin -d "$DB" "$mode" "$ADDONS" --load-language=en_US,zh_CN --data-dir="$ODOO_DATA_DIR" --stop-after-init --log-level=warn --max-cron-threads=0 \
  --http-port="$ODOO_TEST_HTTP_PORT" >"$WORK/install.log" 2>&1 \
  || { tail -n 60 "$WORK/install.log"; die "Installing the addons failed (log above)."; }
if grep -E " (ERROR|CRITICAL) " "$WORK/install.log"; then
  die "Installing the addons logged errors (above)."
fi

write_odoo_conf "$WORK/odoo.conf" "$DB"
if [ $# -gt 0 ]; then TEST_PATHS=("$@"); else
  TEST_PATHS=(${ADDONS//,/ } tests); fi
log "Running the tests (pytest-odoo, HttpCase in headless Chromium)"
cd "$REPO_ROOT"
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" -m pytest \
  --odoo-config="$WORK/odoo.conf" --odoo-database="$DB" --odoo-http \
  -p no:cacheprovider "${TEST_PATHS[@]}"
