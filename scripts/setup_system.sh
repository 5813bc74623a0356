#!/usr/bin/env bash
# What the suite needs from the machine, in one place, for `make run`, `make test`
# and `.ci/run`:
#   - the Debian packages (installed when this user can: root, or sudo without a
#     password; otherwise the one command to run is printed);
#   - Odoo 18.0 Community at ODOO_PATH (offered as a shallow clone of the 18.0 branch
#     when ODOO_PATH holds no Odoo: asked on a terminal, done without asking when
#     ODOO_FETCH=1 or CI is set; exact instructions when it cannot).
#
# Sourced by scripts/lib.sh (ensure_system_packages, ensure_odoo_source), or run:
#   bash scripts/setup_system.sh [run|test|ci]     (default: run)
#
# Knobs: ODOO_PATH (default /opt/odoo), ODOO_FETCH=1|0, ODOO_GIT_URL, SETUP_SYSTEM=0
# (never install packages, only check them).

ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=18.0

# Packages per purpose. `run`: build Odoo's requirements (python-ldap, psycopg2) and
# talk to PostgreSQL; `test`: also the headless browser of the tours and screenshots,
# with Chinese fonts (the demo and the tours are in zh_CN); `ci`: also git.
SYSTEM_PACKAGES_RUN="python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev postgresql-client"
SYSTEM_PACKAGES_TEST="$SYSTEM_PACKAGES_RUN chromium fonts-noto-cjk"
SYSTEM_PACKAGES_CI="$SYSTEM_PACKAGES_TEST git"

_setup_log() { printf '\033[1m[crm-suite]\033[0m %s\n' "$*" >&2; }
_setup_fail() {
  printf '\033[1;31m[crm-suite] %s\033[0m\n' "$*" >&2
  return 1
}

system_packages_for() {
  case "${1:-run}" in
    run) echo "$SYSTEM_PACKAGES_RUN" ;;
    test) echo "$SYSTEM_PACKAGES_TEST" ;;
    ci) echo "$SYSTEM_PACKAGES_CI" ;;
    *) _setup_fail "unknown purpose '$1' (run, test or ci)" ;;
  esac
}

# The packages of a purpose that are not installed (Debian/Ubuntu only).
missing_system_packages() {
  local pkg missing=()
  for pkg in $(system_packages_for "${1:-run}"); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[*]}"
}

# How this user can install packages: "root", "sudo" (without a password) or "".
_package_installer() {
  if [ "$(id -u)" = 0 ]; then
    echo root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo sudo
  fi
}

ensure_system_packages() {
  local purpose=${1:-run} packages
  packages=$(system_packages_for "$purpose") || return 1
  ensure_debian_packages $packages
}

# Install the given Debian packages that are missing, or print the one command to run.
ensure_debian_packages() {
  local pkg missing=() installer
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    _setup_log "Not a Debian system: make sure these (Debian names) are installed: $*"
    return 0
  fi
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  installer=$(_package_installer)
  if [ "${SETUP_SYSTEM:-1}" = 0 ] || [ -z "$installer" ]; then
    _setup_fail "Missing Debian packages: ${missing[*]}
Run this once, then start again:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    return 1
  fi
  _setup_log "Installing the missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$installer" = sudo ] && sudo=(sudo -n)
  "${sudo[@]}" apt-get update -qq \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || {
      _setup_fail "apt-get could not install: ${missing[*]} (output above). Install them, then start again:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
      return 1
    }
}

# A local PostgreSQL server with a superuser role for this user, when none answers.
install_local_postgres() {
  ensure_debian_packages postgresql || return 1
  local version user
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  user=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- createuser -s "$user" 2>/dev/null || true
  else
    sudo -n -u postgres createuser -s "$user" 2>/dev/null || true
  fi
}

odoo_source_present() {
  [ -f "$ODOO_PATH/odoo-bin" ] && [ -d "$ODOO_PATH/odoo/addons/base" ]
}

_odoo_fetch_instructions() {
  cat <<MSG
Get Odoo $ODOO_BRANCH Community one of these ways, then start again:
  - git:     git clone --depth 1 --branch $ODOO_BRANCH $ODOO_GIT_URL $ODOO_PATH
  - archive: download odoo_$ODOO_BRANCH.latest.tar.gz from https://nightly.odoo.com/$ODOO_BRANCH/nightly/src/
             and unpack it so that $ODOO_PATH/odoo-bin exists
  - elsewhere: export ODOO_PATH=/path/to/odoo-$ODOO_BRANCH   (a tree with odoo-bin)
MSG
}

# Odoo 18.0 at ODOO_PATH, fetched when it is missing and the user (or CI) agrees.
ensure_odoo_source() {
  odoo_source_present && return 0
  local fetch=${ODOO_FETCH:-}
  if [ -z "$fetch" ] && [ -n "${CI:-}" ]; then fetch=1; fi
  if [ -z "$fetch" ]; then
    if [ -t 0 ] && [ -t 2 ]; then
      local answer
      printf '[crm-suite] No Odoo at ODOO_PATH=%s. Fetch Odoo %s Community there now (shallow git clone, ~300 MB)? [y/N] ' \
        "$ODOO_PATH" "$ODOO_BRANCH" >&2
      read -r answer || answer=
      case "$answer" in [yY]*) fetch=1 ;; *) fetch=0 ;; esac
    else
      fetch=0
    fi
  fi
  if [ "$fetch" != 1 ]; then
    _setup_fail "No Odoo $ODOO_BRANCH source tree at ODOO_PATH=$ODOO_PATH.
$(_odoo_fetch_instructions)
  (or let the scripts fetch it: ODOO_FETCH=1 make run)"
    return 1
  fi
  command -v git >/dev/null 2>&1 || {
    _setup_fail "Fetching Odoo needs git: apt-get install git
$(_odoo_fetch_instructions)"
    return 1
  }
  if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
    _setup_fail "ODOO_PATH=$ODOO_PATH exists, is not empty and holds no Odoo: not cloning over it.
Point ODOO_PATH at an empty or new directory, or remove $ODOO_PATH.
$(_odoo_fetch_instructions)"
    return 1
  fi
  local parent
  parent=$(dirname "$ODOO_PATH")
  if ! mkdir -p "$parent" 2>/dev/null || [ ! -w "$parent" ]; then
    _setup_fail "Cannot write to $parent to fetch Odoo into $ODOO_PATH.
Fetch it somewhere you can write and point ODOO_PATH there, e.g.:
  git clone --depth 1 --branch $ODOO_BRANCH $ODOO_GIT_URL \$HOME/odoo-$ODOO_BRANCH && export ODOO_PATH=\$HOME/odoo-$ODOO_BRANCH"
    return 1
  fi
  if ! timeout 30 git ls-remote --exit-code --heads "$ODOO_GIT_URL" "$ODOO_BRANCH" >/dev/null 2>&1; then
    _setup_fail "Cannot reach $ODOO_GIT_URL (no network, a proxy, or a firewall) to fetch Odoo $ODOO_BRANCH.
$(_odoo_fetch_instructions)
  (behind a proxy: export https_proxy=http://proxy:port and start again)"
    return 1
  fi
  _setup_log "Fetching Odoo $ODOO_BRANCH Community into $ODOO_PATH (shallow clone, a few minutes)"
  git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_PATH" || {
    _setup_fail "git clone of $ODOO_GIT_URL failed (output above).
$(_odoo_fetch_instructions)"
    return 1
  }
  odoo_source_present || {
    _setup_fail "The clone at $ODOO_PATH holds no odoo-bin."
    return 1
  }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  purpose=${1:-run}
  system_packages_for "$purpose" >/dev/null
  ensure_system_packages "$purpose"
  ensure_odoo_source
  _setup_log "System ready for '$purpose' (Odoo at $ODOO_PATH)"
fi
