#!/usr/bin/env bash
# `make load`: the locust load benchmark of issue 9. A copy of the demo database
# (crm_suite, made by `make run` when missing) is served by `make run`'s server in
# multi-worker mode (2 workers) on 127.0.0.1 only; LOAD_DISTRIBUTORS (50) portal users
# and LOAD_INTERNAL (20) back-office users run for LOAD_DURATION (5m) at most; the
# table shows each suite page beside the stock pages (portal home, /my/orders, sales
# orders) and the run fails unless every suite page has p95 <= 300 ms and 0 errors.
# locust lives in its own venv (.venv-load): its gevent pin conflicts with Odoo's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOAD_VENV=${LOAD_VENV:-$REPO_ROOT/.venv-load}
LOAD_DB=${LOAD_DB:-crm_suite_load}
TEMPLATE_DB=${LOAD_TEMPLATE_DB:-crm_suite}
DURATION=${LOAD_DURATION:-5m}
DISTRIBUTORS=${LOAD_DISTRIBUTORS:-50}
INTERNAL=${LOAD_INTERNAL:-20}
WORKERS=${LOAD_WORKERS:-2}
OUT=${LOAD_OUT:-$REPO_ROOT/tests/bench/results/load-$(date +%Y%m%d-%H%M%S)}

require_odoo
ensure_venv
ensure_postgres

stamp="$LOAD_VENV/.requirements.sha1"
wanted=$(sha1sum "$REPO_ROOT/tests/load/requirements.txt" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  log "Preparing the load-test venv $LOAD_VENV (locust)"
  [ -x "$LOAD_VENV/bin/python" ] || "$PYTHON" -m venv "$LOAD_VENV"
  "$LOAD_VENV/bin/pip" install --quiet -r "$REPO_ROOT/tests/load/requirements.txt"
  echo "$wanted" >"$stamp"
fi

# A copy of the demo database, so that the registrations the run creates stay out of it.
if ! db_exists "$LOAD_DB"; then
  if ! db_exists "$TEMPLATE_DB"; then
    log "No demo database $TEMPLATE_DB: creating it as 'make run' does"
    odoo_bin -d "$TEMPLATE_DB" -i "$ADDONS" --load-language=en_US,zh_CN --stop-after-init \
      --log-level=warn --max-cron-threads=0 || die "Creating $TEMPLATE_DB failed."
  fi
  log "Copying $TEMPLATE_DB to $LOAD_DB"
  createdb -T "$TEMPLATE_DB" "$LOAD_DB" || die "Could not copy $TEMPLATE_DB (is a server using it?)."
fi

free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${LOAD_PORT:-$(free_port)}
GEVENT_PORT=$(free_port)
mkdir -p "$OUT"
log "Starting the server on 127.0.0.1:$PORT with $WORKERS workers (log: $OUT/server.log)"
DB=$LOAD_DB PORT=$PORT bash "$REPO_ROOT/scripts/run.sh" --workers="$WORKERS" --max-cron-threads=0 \
  --http-interface=127.0.0.1 --gevent-port="$GEVENT_PORT" --limit-time-real=120 \
  --logfile="$OUT/server.log" ${ODOO_DATA_DIR:+--data-dir="$ODOO_DATA_DIR"} >"$OUT/run.out" 2>&1 &
SERVER=$!
stop_server() {
  # run.sh execs odoo-bin: $SERVER is Odoo's master process, which stops its workers
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/web/login" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { tail -n 30 "$OUT/run.out" "$OUT/server.log"; die "The server stopped."; }
  sleep 1
done

# Warm-up outside the measurement: the first request of a worker loads the registry
# and builds the asset bundles.
for url in /web/login /my; do curl -fsS -o /dev/null "http://127.0.0.1:$PORT$url" 2>/dev/null || true; done
log "locust: $DISTRIBUTORS distributors + $INTERNAL internal users for $DURATION"
LOAD_DB=$LOAD_DB LOAD_DISTRIBUTORS=$DISTRIBUTORS LOAD_INTERNAL=$INTERNAL "$LOAD_VENV/bin/locust" \
  -f "$REPO_ROOT/tests/load/locustfile.py" --headless --host "http://127.0.0.1:$PORT" \
  -u $((DISTRIBUTORS + INTERNAL)) -r "${LOAD_SPAWN_RATE:-2}" -t "$DURATION" --stop-timeout 10 \
  --csv "$OUT/load" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || true
"$LOAD_VENV/bin/python" "$REPO_ROOT/tests/load/report.py" "$OUT/load" | tee "$OUT/summary.txt"
