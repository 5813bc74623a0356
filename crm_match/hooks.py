import logging

from openupgradelib import openupgrade

from odoo.tools.sql import column_exists, create_column

from .tools.normalize import KEY_FIELDS

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
    "crm.lead": (*KEY_FIELDS, "match_count", "match_results_html"),
}
MOVED_XMLIDS = (
    "crm_lead_view_form_match",
    "crm_match_results",
    "view_res_partner_filter_match",
    "view_crm_case_leads_filter_match",
    "view_crm_case_opportunities_filter_match",
)


def move_from_previous_owner(cr):
    """Give crm_match the models, fields and views that crm_distributor
    owned before 18.0.2.0.0, so that their rows, stored keys and indexes are
    kept (not dropped with crm_distributor's data, not recomputed). Does
    nothing on a database that never had them (idempotent)."""
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
    return True


def pre_init_hook(env):
    """Take over what crm_distributor owned (an upgrade from its 18.0.1), and
    create the key columns of the existing tables before the ORM sees the new
    stored computed fields: it would otherwise compute them row by row for
    every existing partner and lead. The post-init hook fills them."""
    move_from_previous_owner(env.cr)
    for model_name in MATCH_MODELS:
        table = env[model_name]._table
        for fname in KEY_FIELDS:
            if not column_exists(env.cr, table, fname):
                create_column(env.cr, table, fname, "varchar")


def post_init_hook(env):
    """Fill in SQL batches the keys of the rows that have none (all of them on
    a first install; the keys moved from crm_distributor are kept)."""
    for model_name in MATCH_MODELS:
        env[model_name]._match_backfill_keys(missing_only=True)
