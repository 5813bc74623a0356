# Channel CRM suite for Odoo 18.0. ODOO_PATH points at the Odoo source tree (default /opt/odoo).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= $(CURDIR)/.venv
export VENV

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: ## install the missing Debian packages (or print the command) and fetch Odoo 18.0 if absent
	@bash scripts/setup_system.sh test

venv: ## create or refresh the virtual environment (.venv)
	@bash -c 'source scripts/lib.sh && ensure_venv'

run: ## serve the demo database crm_suite on http://localhost:8069
	@bash scripts/run.sh

test: ## install the addons in a throw-away database and run every test (skips fail)
	@bash scripts/test.sh $(TESTS)

stock-tests: ## Odoo's own tests of crm, sale_crm, sale, sale_stock, stock, portal, repair with the suite installed
	@bash scripts/stock_tests.sh

bench: ## fill a benchmark database and print our figures against stock Odoo
	@bash scripts/bench.sh

load: ## locust load test (own venv .venv-load) against a multi-worker server of the demo database
	@bash scripts/load.sh

screenshots: ## refresh docs/screenshots/ from the demo database (headless Chromium)
	@bash scripts/screenshots.sh

lint: venv ## ruff, ruff-format, pylint-odoo through pre-commit; docker compose config
	@"$(VENV)/bin/pre-commit" run --all-files --show-diff-on-failure
	@if command -v docker-compose >/dev/null; then POSTGRES_PASSWORD=lint docker-compose -f docker/compose.yaml config --quiet && echo "docker/compose.yaml: valid"; \
	elif docker compose version >/dev/null 2>&1; then POSTGRES_PASSWORD=lint docker compose -f docker/compose.yaml config --quiet && echo "docker/compose.yaml: valid"; \
	else echo "docker/compose.yaml: no docker compose client here, not validated"; fi

pot: venv ## regenerate i18n/<addon>.pot for the addons
	@bash scripts/i18n.sh

.PHONY: help setup venv run test stock-tests bench load screenshots lint pot
