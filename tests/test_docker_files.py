"""The docker/ deployment files stay consistent (Docker itself does not run on the CI
machines; `make lint` also runs `docker compose config` where a client exists)."""

import configparser
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"
ADDONS = (
    "crm_match",
    "crm_distributor",
    "crm_quotation",
    "crm_service_bridge",
    "crm_analytics_ext",
)


def test_compose_services_have_health_checks():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "odoo", "proxy"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["db"]["image"].startswith("postgres:")
    assert set(compose["volumes"]) == {"pg-data", "odoo-data"}


def test_odoo_runs_multi_worker_behind_proxy():
    conf = configparser.ConfigParser()
    conf.read(DOCKER / "odoo.conf")
    options = conf["options"]
    assert int(options["workers"]) >= 2
    assert options.getboolean("proxy_mode")
    assert "/mnt/extra-addons" in options["addons_path"]
    nginx = (DOCKER / "nginx.conf").read_text()
    assert "location /websocket" in nginx and "odoo:8072" in nginx


def test_image_is_built_from_official_odoo_18_with_the_four_addons():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert dockerfile.splitlines()[3] == "FROM odoo:18.0"
    for addon in ADDONS:
        assert f"COPY --chown=odoo:odoo {addon} /mnt/extra-addons/{addon}" in dockerfile
