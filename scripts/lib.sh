#!/usr/bin/env bash
# Shared helpers for the suite's scripts (run, test, bench). Source it; do not run it.
# Everything here is idempotent: a second call reuses what the first one made.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=${VENV:-$REPO_ROOT/.venv}
PYTHON=${PYTHON:-python3}
ADDONS="crm_match,crm_distributor,crm_quotation,crm_service_bridge,crm_analytics_ext"
PGHOST=${PGHOST:-}
export ODOO_PATH VENV

# Debian packages and the Odoo source: one shared script, also used by .ci/run.
source "$REPO_ROOT/scripts/setup_system.sh"

log() { printf '\033[1m[crm-suite]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[crm-suite] %s\033[0m\n' "$*" >&2; exit 1; }

require_odoo() {
  # Missing Odoo: offered as a shallow clone (scripts/setup_system.sh), else instructions.
  ensure_odoo_source || exit 1
  local version
  version=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p" "$ODOO_PATH/odoo/release.py")
  [ "$version" = "18.0" ] || die "ODOO_PATH=$ODOO_PATH holds Odoo $version; the suite needs Odoo 18.0."
}

# The virtual environment holds Odoo's requirements and ours. It is rebuilt
# only when one of the requirement files changed since it was made.
ensure_venv() {
  require_odoo
  ensure_system_packages run || exit 1
  local stamp="$VENV/.requirements.sha1" wanted
  wanted=$(cat "$ODOO_PATH/requirements.txt" "$REPO_ROOT/requirements.txt" \
    "$REPO_ROOT/requirements-dev.txt" | sha1sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  log "Preparing the virtual environment in $VENV (first time takes a few minutes)"
  command -v pg_config >/dev/null || die "pg_config is missing: install libpq-dev (Debian: apt-get install libpq-dev)."
  [ -f /usr/include/ldap.h ] || die "python-ldap needs the LDAP/SASL headers: apt-get install libldap2-dev libsasl2-dev"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # Odoo 18's pinned requirements build a few old sdists that break with setuptools>=70.
  # pip applies PIP_CONSTRAINT to the isolated build environments up to 25.2,
  # PIP_BUILD_CONSTRAINT from 25.3 on: both are set.
  local constraint
  constraint=$(mktemp)
  echo 'setuptools<70' >"$constraint"
  PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" \
    "$VENV/bin/pip" install --quiet --upgrade pip wheel 'setuptools<70'
  PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" "$VENV/bin/pip" install --quiet \
    -r "$ODOO_PATH/requirements.txt" -r "$REPO_ROOT/requirements.txt" -r "$REPO_ROOT/requirements-dev.txt" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  rm -f "$constraint"
  echo "$wanted" >"$stamp"
}

# PostgreSQL: use it when it answers, start the local cluster when it is
# installed but down, install it when this user can (root or sudo), otherwise say what to do.
ensure_postgres() {
  if pg_isready -q 2>/dev/null; then
    return 0
  fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "PostgreSQL is down: starting the local cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start \
      || die "Could not start PostgreSQL $version/main; see /var/log/postgresql/."
    for _ in $(seq 1 30); do pg_isready -q && return 0; sleep 1; done
    die "PostgreSQL $version/main did not come up within 30 s."
  fi
  if [ -z "${PGHOST:-}" ] && [ -n "$(_package_installer)" ] && [ "${SETUP_SYSTEM:-1}" != 0 ]; then
    log "No PostgreSQL here: installing the local server (Debian package postgresql)"
    if install_local_postgres; then
      for _ in $(seq 1 30); do pg_isready -q && return 0; sleep 1; done
    fi
  fi
  die "No PostgreSQL answers. Install PostgreSQL (Debian: apt-get install postgresql),
create a role for this user (sudo -u postgres createuser -s \$USER) and start it,
or set PGHOST/PGPORT/PGUSER to a server you can reach."
}

odoo_bin() {
  PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
    --addons-path="$REPO_ROOT,$ODOO_PATH/addons,$ODOO_PATH/odoo/addons" "$@"
}

db_exists() {
  psql -lqtA 2>/dev/null | cut -d'|' -f1 | grep -qx "$1"
}

# Odoo configuration file for pytest-odoo and the benchmarks.
write_odoo_conf() {
  local conf=$1 db=$2
  cat >"$conf" <<CONF
[options]
addons_path = $REPO_ROOT,$ODOO_PATH/addons,$ODOO_PATH/odoo/addons
db_name = $db
${PGHOST:+db_host = $PGHOST}
${PGPORT:+db_port = $PGPORT}
${PGUSER:+db_user = $PGUSER}
data_dir = ${ODOO_DATA_DIR:-$REPO_ROOT/.odoo-data}
http_interface = 127.0.0.1
http_port = ${ODOO_TEST_HTTP_PORT:-8069}
without_demo = all
log_level = warn
max_cron_threads = 0
CONF
}
