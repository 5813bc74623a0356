#!/usr/bin/env bash
# pre-commit hook entry: pylint (with the given rcfile and options) on every addon of
# the repository (each top-level directory with a __manifest__.py), so a new addon is
# linted without editing .pre-commit-config.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t addons < <(for manifest in */__manifest__.py; do dirname "$manifest"; done)
exec pylint "$@" "${addons[@]}"
