#!/usr/bin/env bash
# `make screenshots`: docs/screenshots/*.png of the main screens (portal home and
# registration, upload triage, registrations kanban, conflict review, opportunity with
# the readiness panel, channel analytics), taken with headless Chromium from the demo
# database (SCREENSHOT_DB, default crm_suite, made by `make run` when missing) served on
# 127.0.0.1 for the duration of the script.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${SCREENSHOT_DB:-crm_suite}
OUT=${SCREENSHOT_DIR:-$REPO_ROOT/docs/screenshots}
require_odoo
ensure_venv
ensure_postgres
ensure_system_packages test || exit 1

if ! db_exists "$DB"; then
  log "No demo database $DB: creating it as 'make run' does"
  odoo_bin -d "$DB" -i "$ADDONS" --load-language=en_US,zh_CN --stop-after-init \
    --log-level=warn --max-cron-threads=0 || die "Creating $DB failed."
fi
PORT=${SCREENSHOT_PORT:-$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
LOG=$(mktemp)
DB=$DB PORT=$PORT bash "$REPO_ROOT/scripts/run.sh" --max-cron-threads=0 --http-interface=127.0.0.1 \
  --logfile="$LOG" ${ODOO_DATA_DIR:+--data-dir="$ODOO_DATA_DIR"} >/dev/null 2>&1 &
SERVER=$!
stop_server() {
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -f "$LOG"
}
trap stop_server EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/web/login" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { tail -n 30 "$LOG"; die "The server stopped."; }
  sleep 1
done
log "Taking the screenshots into $OUT"
"$VENV/bin/python" "$REPO_ROOT/scripts/screenshots.py" "http://127.0.0.1:$PORT" "$DB" "$OUT"
