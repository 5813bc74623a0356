"""Installing the matching on a full database: the keys of every row.

What ``crm_match``'s install does on a database that holds data: its pre-init
hook adds the key columns (empty), its post-init hook, and ``crm_distributor``'s
for the registrations, compute the keys of every row (SQL reads, plain-Python
keys in one process per core, COPY, one UPDATE, the indexes built once). Here
the key columns are dropped and added again, empty, inside the runner's
transaction, then both post-init hooks run, timed per model; the runner rolls
everything back, then ``after_rollback`` vacuums the tables (the rolled-back
UPDATE left a dead version of every row). Stock Odoo has nothing to compute: no
baseline.

Target (issue 12): the keys of 1,700,000 rows (1,000,000 partners, 500,000
leads, 200,000 registrations) in at most 6 minutes on 2 cores.
"""

import logging
import time

from odoo import sql_db
from odoo.tools import SQL

from odoo.addons.crm_distributor.hooks import post_init_hook as distributor_post_init
from odoo.addons.crm_match.hooks import post_init_hook as match_post_init
from odoo.addons.crm_match.tools.normalize import KEY_FIELDS

from .harness import Row

TARGET_S = 360
TARGET_ROWS = 1_000_000
MODELS = ("res.partner", "crm.lead", "crm.deal.registration")


def _empty_key_columns(env, model):
    """The state right after the pre-init hook: key columns without values."""
    table = SQL.identifier(env[model]._table)
    for fname in KEY_FIELDS:
        column = SQL.identifier(fname)
        env.cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s", table, column))
        env.cr.execute(SQL("ALTER TABLE %s ADD COLUMN %s varchar", table, column))


def collect(env):
    counts = {}
    for model in MODELS:
        env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(env[model]._table)))
        counts[model] = env.cr.fetchone()[0]
        _empty_key_columns(env, model)
    env.invalidate_all()
    # progress and the phases of each model (read, keys, copy, update, indexes)
    logging.getLogger("odoo.addons.crm_match.models.crm_match_mixin").setLevel(logging.INFO)
    seconds = {}
    start = time.perf_counter()
    match_post_init(env)
    seconds["res.partner + crm.lead"] = time.perf_counter() - start
    middle = time.perf_counter()
    distributor_post_init(env)
    seconds["crm.deal.registration"] = time.perf_counter() - middle
    total = time.perf_counter() - start
    rows = sum(counts.values())
    return [
        Row(
            name=f"install: matching keys of {rows:,} rows",
            ours=total,
            baseline=None,
            unit="s",
            target=TARGET_S if rows >= TARGET_ROWS else None,
            note="crm_match's and crm_distributor's post-init hooks on emptied key columns: "
            + ", ".join(f"{model} {counts[model]:,}" for model in MODELS)
            + "; "
            + ", ".join(f"{part} {value:,.0f} s" for part, value in seconds.items())
            + " (phases of each model in the log)",
        )
    ]


def after_rollback(registry):
    """VACUUM ANALYZE the rewritten tables: the rolled-back UPDATE left a dead
    version of every row, which would slow the next benchmarks down."""
    with sql_db.db_connect(registry.db_name).cursor() as cr:
        cr._cnx.autocommit = True
        try:
            for model in MODELS:
                cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(registry[model]._table)))
        finally:
            cr._cnx.autocommit = False
