"""Claims hardening (issues 9.4 and 14.2): claim keys follow every edit.

Before 18.0.2.0.0 a returned registration renamed (or given another credit
code) kept the keys of its old name. Registrations that are not live hold no
key; live ones claim the keys of their current name and credit code (a
registration whose new keys are held by another is flagged as a conflict).
"""

from openupgradelib import openupgrade

from odoo.addons.crm_distributor.tools.claim_key import LIVE_STATES


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        "UPDATE crm_deal_registration SET claim_name_key = NULL, claim_vat_key = NULL "
        "WHERE state NOT IN %s AND (claim_name_key IS NOT NULL OR claim_vat_key IS NOT NULL)",
        (LIVE_STATES,),
    )
    registrations = env["crm.deal.registration"].search(
        [("state", "in", LIVE_STATES)], order="submit_date, id"
    )
    registrations._follow_claim_keys()
