#!/usr/bin/env bash
# `make stock-tests`: Odoo's own test suites of the modules the suite extends, run
# against a database where the suite is installed (issue 13).
#
#   1. a throw-away database gets the suite's addons and the extended Odoo modules
#      (with demo data, as Odoo's runbot runs them), no tests;
#   2. `--test-enable --test-tags /<module>,...` then runs each module's standard
#      tests, at_install and post_install, with every installed module loaded, the suite
#      included (scripts/odoo_tests_loaded.py: Odoo itself would run the at_install
#      tests while their module is installed or updated, before the suite's code is
#      loaded, so they would not see the suite at all);
#   3. every failing test must be listed, with the reason, in
#      .ci/stock-tests-known-failures.txt (a test that fails on stock Odoo too);
#      any other failure fails the target, and so does a listed test that passes
#      again (the list must not go stale).
#
# STOCK_BASELINE=1 runs the same on a database WITHOUT the suite (stock Odoo): that
# is how the known failures are established. STOCK_TEST_MODULES overrides the modules.
# KEEP_DB=1 / REUSE_DB=1 / STOCK_TEST_DB=name as in scripts/test.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODULES=${STOCK_TEST_MODULES:-crm sale_crm sale sale_stock stock portal repair}
KNOWN=${STOCK_KNOWN_FAILURES:-$REPO_ROOT/.ci/stock-tests-known-failures.txt}

require_odoo
ensure_venv
ensure_postgres

if [ -n "${STOCK_BASELINE:-}" ]; then
  DB=${STOCK_TEST_DB:-crm_suite_stockbase_$$}
  # The Odoo modules the suite's addons depend on, without the suite itself, so both
  # databases load the same Odoo code apart from the suite.
  install=$("$VENV/bin/python" "$REPO_ROOT/scripts/odoo_depends.py" "$REPO_ROOT" ${ADDONS//,/ })
  label="stock Odoo (baseline, no suite)"
else
  DB=${STOCK_TEST_DB:-crm_suite_stocktests_$$}
  install=$ADDONS
  label="the suite installed"
fi
install="$install,${MODULES// /,}"
tags=$(printf '/%s,' $MODULES)
tags=${tags%,}

WORK=$(mktemp -d)
export ODOO_DATA_DIR=${ODOO_DATA_DIR:-$REPO_ROOT/.odoo-data}
HTTP_PORT=${ODOO_TEST_HTTP_PORT:-$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cleanup() {
  if [ -z "${KEEP_DB:-}" ]; then
    dropdb --if-exists "$DB" 2>/dev/null || true
    rm -rf "$ODOO_DATA_DIR/filestore/$DB"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start=$(date +%s)
if [ -n "${REUSE_DB:-}" ] && db_exists "$DB"; then
  log "Reusing database $DB"
else
  log "Installing $install into $DB (no tests)"
  odoo_bin -d "$DB" -i "$install" --data-dir="$ODOO_DATA_DIR" --stop-after-init --log-level=warn \
    --max-cron-threads=0 --http-port="$HTTP_PORT" >"$WORK/install.log" 2>&1 \
    || { tail -n 60 "$WORK/install.log"; die "Installing failed (log above)."; }
fi
installed=$(date +%s)

LOG=${STOCK_TEST_LOG:-$WORK/tests.log}
log "Running Odoo's tests $tags with $label (log: $LOG)"
set +e
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" "$REPO_ROOT/scripts/odoo_tests_loaded.py" \
  --addons-path="$REPO_ROOT,$ODOO_PATH/addons,$ODOO_PATH/odoo/addons" \
  -d "$DB" --test-enable --test-tags "$tags" --data-dir="$ODOO_DATA_DIR" \
  --stop-after-init --log-level=info --max-cron-threads=0 --http-port="$HTTP_PORT" >"$LOG" 2>&1
rc=$?
set -e
finished=$(date +%s)
log "Install $((installed - start)) s, tests $((finished - installed)) s (exit $rc)"

"$VENV/bin/python" "$REPO_ROOT/scripts/stock_tests_report.py" "$LOG" "$KNOWN" \
  ${STOCK_BASELINE:+--baseline} --modules $MODULES
