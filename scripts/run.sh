#!/usr/bin/env bash
# `make run`: virtual environment, PostgreSQL, database crm_suite with the four
# addons, demo data and Simplified Chinese, then Odoo on http://localhost:8069.
# A second run reuses the database as it is.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${DB:-crm_suite}
PORT=${PORT:-8069}
require_odoo
ensure_venv
ensure_postgres

if db_exists "$DB"; then
  log "Reusing database $DB"
else
  log "Creating database $DB with the four addons, demo data and zh_CN (a few minutes)"
  odoo_bin -d "$DB" -i "$ADDONS" --load-language=en_US,zh_CN --stop-after-init --log-level=warn --max-cron-threads=0 \
    || { dropdb --if-exists "$DB"; die "Creating $DB failed (log above); the half-made database was dropped."; }
fi

cat <<MSG

  Channel CRM suite: http://localhost:$PORT/web/login   (database $DB)

  login      password   who
  admin      admin      administrator
  sales      sales      salesperson (internal user)
  channel    channel    channel manager, works in Simplified Chinese
  finance    finance    finance reader
  credit     credit     credit manager (approves orders over the credit limit)
  dist_gd    dist_gd    distributor portal user (Guangdong)
  dist_zj    dist_zj    distributor portal user (Zhejiang)
  dist_sc    dist_sc    distributor portal user (Sichuan)

  Stop with Ctrl+C. 'make run' again reuses the database; 'dropdb $DB' starts afresh.

MSG
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
  --addons-path="$REPO_ROOT,$ODOO_PATH/addons,$ODOO_PATH/odoo/addons" \
  -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --max-cron-threads=1 "$@"
