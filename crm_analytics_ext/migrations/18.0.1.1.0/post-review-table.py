"""18.0.1.1.0: fill the year-end review table created in place of the view."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env["crm.analytics.year.review"]._refresh_review(None)
