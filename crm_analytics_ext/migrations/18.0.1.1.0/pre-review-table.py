"""18.0.1.1.0: the year-end review is a table kept by the analytics job (the
rows of the changed customers only) instead of a materialized view refreshed
whole; the view goes so that the ORM creates the table in its place, filled
in post-review-table.py."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    env.cr.execute(
        SQL(
            "SELECT relkind FROM pg_class WHERE relname = %s "
            "AND relnamespace = current_schema()::regnamespace",
            "crm_analytics_year_review",
        )
    )
    kind = env.cr.fetchone()
    view = SQL.identifier("crm_analytics_year_review")
    if kind and kind[0] == "v":
        env.cr.execute(SQL("DROP VIEW %s", view))
    elif kind and kind[0] == "m":
        env.cr.execute(SQL("DROP MATERIALIZED VIEW %s", view))
