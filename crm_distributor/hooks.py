from odoo.tools.sql import column_exists, create_column

from .tools.normalize import KEY_FIELDS

MATCH_MODELS = ("res.partner", "crm.lead", "crm.deal.registration")


def pre_init_hook(env):
    """Create the matching key columns of the existing tables before the ORM
    sees the new stored computed fields: it would otherwise compute them row by
    row for every existing partner and lead. The post-init hook fills them."""
    for table in ("res_partner", "crm_lead"):
        for fname in KEY_FIELDS:
            if not column_exists(env.cr, table, fname):
                create_column(env.cr, table, fname, "varchar")


def post_init_hook(env):
    """Fill the matching keys of the existing rows in SQL batches."""
    for model_name in MATCH_MODELS:
        env[model_name]._match_backfill_keys()
