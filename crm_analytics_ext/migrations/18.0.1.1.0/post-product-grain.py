"""18.0.1.1.0: the product facts no longer have a salesperson (they are the
managers', and per salesperson they were nearly as many rows as the order
lines): the column goes and the facts are rebuilt at their new grain."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, "crm_analytics_product_month", "user_id"):
        env.cr.execute(SQL("ALTER TABLE crm_analytics_product_month DROP COLUMN user_id"))
    env["crm.analytics.product.month"]._recompute_facts(None)
