"""18.0.2.0.0: the unique index of submitted upload rows was renamed from
crm_registration_upload_line_submitted_uniq to ..._done_uniq (it also covers
sell-out rows); drop the old one. The new one is created by the model's
init() (CREATE UNIQUE INDEX IF NOT EXISTS), as before."""

from openupgradelib import openupgrade

from odoo.tools import SQL


@openupgrade.migrate()
def migrate(env, version):
    env.cr.execute(
        SQL(
            "DROP INDEX IF EXISTS %s", SQL.identifier("crm_registration_upload_line_submitted_uniq")
        )
    )
