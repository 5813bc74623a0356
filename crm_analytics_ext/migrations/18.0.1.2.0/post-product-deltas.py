"""18.0.1.2.0: the product facts are kept by difference (``crm.analytics.product.delta``):
they count their order lines (a row goes when none is left) and the queue of the
customers' months no longer names products. The facts are rebuilt with their count."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, "crm_analytics_dirty", "product_id"):
        env.cr.execute(SQL("ALTER TABLE crm_analytics_dirty DROP COLUMN product_id"))
    env["crm.analytics.product.month"]._recompute_facts(None)
