"""18.0.2.1.0: a registration match stores the engine's reason codes, shown
in the reader's language; the labels stored until now (in the language of
whoever submitted) become codes in post-reason-codes.py."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, "crm_deal_registration_match", "reasons"):
        openupgrade.rename_columns(
            env.cr, {"crm_deal_registration_match": [("reasons", "reason_codes")]}
        )
