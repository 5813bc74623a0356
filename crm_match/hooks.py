import logging
import os

from openupgradelib import openupgrade

from odoo import fields
from odoo.tools.sql import column_exists, create_column

from .models.crm_match_engine import KEYS_VERSION_PARAM
from .tools.normalize import KEY_FIELDS, KEYS_VERSION

_logger = logging.getLogger(__name__)

# Models whose keys crm_match stores (other addons backfill their own).
MATCH_MODELS = ("res.partner", "crm.lead")
# Until 18.0.2.0.0, crm_distributor owned the engine, the mixin and the keys.
PREVIOUS_OWNER = "crm_distributor"
MOVED_MODELS = ("crm.match.mixin", "crm.match.engine")
MOVED_FIELDS = {
    "res.partner": KEY_FIELDS,
    # the partner fields of users (_inherits) are described by fields too
    "res.users": KEY_FIELDS,
    "crm.lead": KEY_FIELDS,
}
# The possible-customers block of the lead form and its template: replaced by
# core's Similar Leads, fed by the engine.
DROPPED_XMLIDS = ("crm_lead_view_form_match", "crm_match_results")
MOVED_XMLIDS = (
    "view_res_partner_filter_match",
    "view_crm_case_leads_filter_match",
    "view_crm_case_opportunities_filter_match",
)


def move_from_previous_owner(env):
    """Give crm_match the models, fields and views that crm_distributor
    owned before 18.0.2.0.0, so that their rows, stored keys and indexes are
    kept (not dropped with crm_distributor's data, not recomputed). The
    possible-customers block of the lead form and its template are deleted:
    core's Similar Leads shows the engine's results now. Does nothing on a
    database that never had them (idempotent)."""
    cr = env.cr
    cr.execute(
        "SELECT 1 FROM ir_model_data WHERE module = %s AND model = 'ir.model' "
        "AND name = 'model_crm_match_mixin'",
        [PREVIOUS_OWNER],
    )
    if not cr.fetchone():
        return False
    _logger.info("crm_match: taking over the matching models and keys of %s", PREVIOUS_OWNER)
    for model in MOVED_MODELS:
        openupgrade.update_module_moved_models(cr, model, PREVIOUS_OWNER, "crm_match")
    for model, fnames in MOVED_FIELDS.items():
        openupgrade.update_module_moved_fields(cr, model, list(fnames), PREVIOUS_OWNER, "crm_match")
    openupgrade.rename_xmlids(
        cr, [(f"{PREVIOUS_OWNER}.{name}", f"crm_match.{name}") for name in MOVED_XMLIDS]
    )
    openupgrade.delete_records_safely_by_xml_id(
        env, [f"{PREVIOUS_OWNER}.{name}" for name in DROPPED_XMLIDS]
    )
    # the moved keys were computed by the previous normalisation: kept by the
    # upgrade, recomputed in the background (see post_init_hook)
    cr.execute(
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        "VALUES (%s, '1', now() at time zone 'UTC', now() at time zone 'UTC') "
        "ON CONFLICT (key) DO NOTHING",
        [KEYS_VERSION_PARAM],
    )
    return True


def pre_init_hook(env):
    """Take over what crm_distributor owned (an upgrade from its 18.0.1), and
    create the key columns of the existing tables before the ORM sees the new
    stored computed fields: it would otherwise compute them row by row for
    every existing partner and lead. The post-init hook fills them."""
    move_from_previous_owner(env)
    for model_name in MATCH_MODELS:
        table = env[model_name]._table
        for fname in KEY_FIELDS:
            if not column_exists(env.cr, table, fname):
                create_column(env.cr, table, fname, "varchar")


def post_init_hook(env):
    """Fill in SQL batches the keys of the rows that have none (all of them on
    a first install; the keys moved from crm_distributor are kept). Keys of an
    older normalisation are recomputed by a background job, so that the
    upgrade itself stays short."""
    for model_name in MATCH_MODELS:
        # one process per core: the install runs alone (no server threads)
        env[model_name]._match_backfill_keys(
            missing_only=True,
            processes=os.cpu_count() or 1,
            drop_table_indexes=True,
        )
    params = env["ir.config_parameter"].sudo()
    version = params.get_param(KEYS_VERSION_PARAM)
    if not version:
        params.set_param(KEYS_VERSION_PARAM, KEYS_VERSION)
    elif int(version) < KEYS_VERSION:
        _logger.info(
            "crm_match: matching keys of normalisation %s kept; the job %r recomputes them",
            version,
            "ir_cron_refresh_match_keys",
        )
        env.ref("crm_match.ir_cron_refresh_match_keys").write(
            {"active": True, "nextcall": fields.Datetime.now()}
        )
