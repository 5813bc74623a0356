#!/usr/bin/env bash
# `make pot`: regenerate i18n/<addon>.pot from the code and views of each addon,
# then merge it into i18n/zh_CN.po (new terms added untranslated, gone terms removed).
# I18N_DB (default crm_suite_i18n) is installed, or updated when it exists.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=${I18N_DB:-crm_suite_i18n}
require_odoo
ensure_venv
ensure_postgres
mode=-i
db_exists "$DB" && mode=-u
odoo_bin -d "$DB" "$mode" "$ADDONS" --without-demo=all --stop-after-init --log-level=warn --max-cron-threads=0
for addon in ${ADDONS//,/ }; do
  odoo_bin -d "$DB" --i18n-export="$REPO_ROOT/$addon/i18n/$addon.pot" --modules="$addon" \
    --stop-after-init --log-level=warn
  "$VENV/bin/python" "$REPO_ROOT/scripts/po_merge.py" "$REPO_ROOT/$addon/i18n/$addon.pot" "$REPO_ROOT/$addon/i18n/zh_CN.po"
done
