"""18.0.1.1.0: the year-end review and the funnel are tables kept by the
analytics job (the rows of the changed customers and leads only) instead of a
materialized view refreshed whole and a view on the leads; the views go so
that the ORM creates the tables in their place, filled in post-report-tables.py."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    for table in ("crm_analytics_year_review", "crm_analytics_funnel"):
        env.cr.execute(
            SQL(
                "SELECT relkind FROM pg_class WHERE relname = %s "
                "AND relnamespace = current_schema()::regnamespace",
                table,
            )
        )
        kind = env.cr.fetchone()
        if kind and kind[0] == "v":
            env.cr.execute(SQL("DROP VIEW %s", SQL.identifier(table)))
        elif kind and kind[0] == "m":
            env.cr.execute(SQL("DROP MATERIALIZED VIEW %s", SQL.identifier(table)))
