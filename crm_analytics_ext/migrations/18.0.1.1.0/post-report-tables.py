"""18.0.1.1.0: fill the year-end review and funnel tables created in place of the views."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env["crm.analytics.year.review"]._refresh_review(None)
    env["crm.analytics.funnel"]._refresh_funnel(None)
