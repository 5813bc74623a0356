from openupgradelib import openupgrade

from odoo.addons.crm_service_bridge.hooks import backfill_installed_base


@openupgrade.migrate()
def migrate(env, version):
    backfill_installed_base(env)
