"""The demo database of the previous release upgrades in place.

The previous release (commit PREVIOUS_RELEASE, crm_distributor 18.0.1.0.0) had
the matching engine and the keys inside crm_distributor; 18.0.2.0.0 moves them
to crm_match. This test installs the previous release's addons with their demo
data in a throw-away database, with that release's own code (`git archive`),
then runs `odoo-bin -u crm_distributor` with this tree, which installs
crm_match as a new dependency, and checks that nothing is lost or recomputed:
same rows, same keys (a planted key value survives: no recompute), the same
key indexes (same PostgreSQL object ids: not rebuilt), and the models and
fields now owned by crm_match.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import psycopg2
import pytest

from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
PREVIOUS_RELEASE = "cb10969"
PREVIOUS_ADDONS = "crm_distributor,crm_quotation,crm_service_bridge,crm_analytics_ext"
KEY_COLUMNS = (
    "match_name_key",
    "match_name_pinyin",
    "match_search_key",
    "match_grams",
    "match_pinyin_key",
    "match_initials_key",
    "match_vat_key",
    "match_email_key",
    "match_domain_key",
    "match_phone_key",
    "match_mobile_key",
    "match_contact_key",
    "match_contact_pinyin",
)
MATCH_TABLES = ("res_partner", "crm_lead", "crm_deal_registration")
COUNTED_TABLES = (*MATCH_TABLES, "crm_deal_registration_match", "crm_deal_registration_line")
PLANTED = "planted-key-kept-by-the-upgrade"
# crm.match.engine's reason codes (crm_match/tools/scoring.py): 18.0.2.1.0
# stores them instead of labels in the submitter's language
REASON_CODES = {
    "vat",
    "email",
    "phone",
    "name",
    "homophone",
    "similar_name",
    "domain",
    "contact",
    "contact_homophone",
    "vat_conflict",
}


def _odoo_path():
    return Path(os.environ.get("ODOO_PATH", "/opt/odoo"))


def _odoo_bin(addons_root, database, data_dir, *args):
    odoo = _odoo_path()
    env = dict(os.environ, PYTHONPATH=str(odoo))
    command = [
        sys.executable,
        str(odoo / "odoo-bin"),
        f"--addons-path={addons_root},{odoo / 'addons'},{odoo / 'odoo' / 'addons'}",
        "-d",
        database,
        f"--data-dir={data_dir}",
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
        "--http-port=0",
        *args,
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            command.append(f"--{option.replace('_', '-')}={config[option]}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    errors = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, "\n".join(errors[:20])


def _connect(database):
    params = {"dbname": database}
    for option, key in (
        ("db_host", "host"),
        ("db_port", "port"),
        ("db_user", "user"),
        ("db_password", "password"),
    ):
        if config.get(option):
            params[key] = config[option]
    return psycopg2.connect(**params)


def _snapshot(cr):
    """Rows, keys, index object ids and owners of the matching data."""
    snapshot = {"counts": {}, "keys": {}, "indexes": {}}
    for table in COUNTED_TABLES:
        cr.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant table names)
        snapshot["counts"][table] = cr.fetchone()[0]
    columns = ", ".join(KEY_COLUMNS)
    for table in MATCH_TABLES:
        cr.execute(f"SELECT id, {columns} FROM {table} ORDER BY id")  # noqa: S608
        snapshot["keys"][table] = cr.fetchall()
    cr.execute(
        "SELECT c.relname, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relname IN %s AND c.relname LIKE '%%__match%%'",
        [MATCH_TABLES],
    )
    snapshot["indexes"] = dict(cr.fetchall())
    return snapshot


def _owners(cr):
    """{(model, field): (ir_model_fields id, [modules of its XML ids])} of the
    key fields, and the modules of the engine's and the mixin's ir.model."""
    cr.execute(
        "SELECT f.model, f.name, f.id, array_agg(d.module ORDER BY d.module) "
        "FROM ir_model_fields f JOIN ir_model_data d "
        "ON d.model = 'ir.model.fields' AND d.res_id = f.id "
        "WHERE f.name IN %s AND f.model IN ('res.partner', 'crm.lead', 'crm.deal.registration') "
        "GROUP BY f.model, f.name, f.id",
        [KEY_COLUMNS],
    )
    fields = {
        (model, name): (field_id, modules) for model, name, field_id, modules in cr.fetchall()
    }
    cr.execute(
        "SELECT m.model, array_agg(d.module ORDER BY d.module) FROM ir_model m "
        "JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id "
        "WHERE m.model IN ('crm.match.engine', 'crm.match.mixin') GROUP BY m.model"
    )
    return fields, dict(cr.fetchall())


@pytest.fixture
def previous_release_db():
    if not (_odoo_path() / "odoo-bin").is_file():
        pytest.fail(f"No Odoo at ODOO_PATH={_odoo_path()}")
    base = config.get("db_name") or "crm_suite_test"
    if isinstance(base, list):
        base = base[0]
    database = f"{base}_prevrel"[:63]
    workdir = Path(tempfile.mkdtemp(prefix="crm_prevrel_"))
    archive = workdir / "previous.tar"
    with archive.open("wb") as stream:
        subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", PREVIOUS_RELEASE],
            stdout=stream,
            check=True,
        )
    tree = workdir / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    try:
        yield database, tree, workdir / "data"
    finally:
        subprocess.run(["dropdb", "--if-exists", database], check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def test_previous_release_demo_upgrades_in_place(previous_release_db):
    database, previous_tree, data_dir = previous_release_db
    _odoo_bin(previous_tree, database, data_dir, "-i", PREVIOUS_ADDONS)
    with _connect(database) as connection, connection.cursor() as cr:
        # A key value no computation gives: it survives only if the upgrade
        # keeps the stored keys instead of recomputing them.
        for table in MATCH_TABLES:
            cr.execute(
                f"UPDATE {table} SET match_grams = %s "  # noqa: S608
                f"WHERE id = (SELECT min(id) FROM {table} WHERE match_name_key IS NOT NULL) "
                "RETURNING id",
                [PLANTED],
            )
            assert cr.fetchone(), f"the previous release's demo has no {table} with a name key"
        before = _snapshot(cr)
        fields_before, models_before = _owners(cr)
        cr.execute("SELECT id, reasons FROM crm_deal_registration_match ORDER BY id")
        reasons_before = dict(cr.fetchall())
    connection.close()
    assert before["counts"]["crm_deal_registration_match"] > 0, "demo registrations matched"
    assert {modules[0] for _id, modules in fields_before.values()} == {"crm_distributor"}
    assert models_before == {
        "crm.match.engine": ["crm_distributor"],
        "crm.match.mixin": ["crm_distributor"],
    }

    _odoo_bin(REPO, database, data_dir, "-u", "crm_distributor")

    with _connect(database) as connection, connection.cursor() as cr:
        cr.execute(
            "SELECT name, state, latest_version FROM ir_module_module WHERE name IN %s",
            [("crm_match", "crm_distributor", "crm_analytics_ext")],
        )
        modules = {name: (state, version) for name, state, version in cr.fetchall()}
        # 18.0.1.1.0 of the analytics: the year-end review and the funnel are tables
        # the job keeps
        cr.execute(
            "SELECT relname, relkind FROM pg_class WHERE relname IN "
            "('crm_analytics_year_review', 'crm_analytics_funnel')"
        )
        report_kinds = dict(cr.fetchall())
        cr.execute("SELECT count(*) FROM crm_analytics_year_review")
        review_rows = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM crm_analytics_funnel")
        funnel_rows = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM crm_lead")
        lead_count = cr.fetchone()[0]
        # 18.0.1.2.0: the product facts count their lines (kept by difference)
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE line_count > 0) "
            "FROM crm_analytics_product_month"
        )
        product_rows, counted_rows = cr.fetchone()
        after = _snapshot(cr)
        fields_after, models_after = _owners(cr)
        # the kept keys are of the previous normalisation: a background job
        # (not the upgrade) recomputes them
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'crm_match.keys_version'")
        keys_version = cr.fetchone()[0]
        cr.execute(
            "SELECT c.active FROM ir_cron c JOIN ir_model_data d ON d.res_id = c.id "
            "AND d.model = 'ir.cron' WHERE d.module = 'crm_match' "
            "AND d.name = 'ir_cron_refresh_match_keys'"
        )
        refresh_active = cr.fetchone()[0]
        cr.execute("SELECT id, reason_codes FROM crm_deal_registration_match ORDER BY id")
        reason_codes_after = dict(cr.fetchall())
    connection.close()
    assert modules["crm_match"][0] == "installed"
    assert modules["crm_distributor"] == ("installed", "18.0.2.1.0")
    assert modules["crm_analytics_ext"] == ("installed", "18.0.1.2.0")
    assert product_rows == counted_rows > 0, "the product facts are rebuilt with their line count"
    assert report_kinds == {"crm_analytics_year_review": "r", "crm_analytics_funnel": "r"}
    assert review_rows > 0, "the review of the demo's orders is filled by the upgrade"
    assert funnel_rows == lead_count > 0, "one funnel row per lead after the upgrade"
    # the labels stored by the previous release became codes, line for line
    assert any(reasons_before.values()), "the demo's matches have reasons"
    for match_id, reasons in reasons_before.items():
        codes = (reason_codes_after[match_id] or "").splitlines()
        assert len(codes) == len((reasons or "").splitlines()), match_id
        assert set(codes) <= REASON_CODES, f"match {match_id}: {reasons!r} -> {codes}"
    # nothing lost; the upgrade may add rows (the new release's demo data, e.g.
    # the credit manager's partner), whose keys are computed as any new row's
    for table, count in before["counts"].items():
        assert after["counts"][table] >= count, f"{table}: rows lost"
    for table in MATCH_TABLES:
        before_ids = {row[0] for row in before["keys"][table]}
        kept = [row for row in after["keys"][table] if row[0] in before_ids]
        assert kept == before["keys"][table], f"{table}: keys changed"
        assert any(PLANTED in row for row in after["keys"][table])
    assert after["indexes"] == before["indexes"], "key indexes dropped or rebuilt"
    assert keys_version == "1"
    assert refresh_active
    # same field records (not deleted and created again), now owned by crm_match
    # for partners and leads, still by crm_distributor for its registrations
    assert set(fields_after) == set(fields_before)
    for (model, name), (field_id, owners) in fields_after.items():
        assert field_id == fields_before[(model, name)][0], f"{model}.{name} was recreated"
        expected = ["crm_distributor"] if model == "crm.deal.registration" else ["crm_match"]
        assert owners == expected, f"{model}.{name}: {owners}"
    # crm_match owns both; crm_distributor extends the engine (its match source hook)
    assert models_after == {
        "crm.match.engine": ["crm_distributor", "crm_match"],
        "crm.match.mixin": ["crm_match"],
    }
