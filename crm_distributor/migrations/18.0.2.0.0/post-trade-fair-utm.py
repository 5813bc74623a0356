"""18.0.2.0.0: the trade-fair UTM source and medium are named in Chinese and
English (utm.source and utm.medium names are not translatable); their records
are noupdate, so rename them here unless a user renamed them already."""

from openupgradelib import openupgrade

NAMES = {
    "crm_distributor.utm_source_trade_fair": ("Trade Fair", "展会 / Trade Fair"),
    "crm_distributor.utm_medium_trade_fair": (
        "Trade Fair Business Cards",
        "展会名片 / Trade Fair Business Cards",
    ),
}


@openupgrade.migrate()
def migrate(env, version):
    for xmlid, (old, new) in NAMES.items():
        record = env.ref(xmlid, raise_if_not_found=False)
        if record and record.name == old:
            record.name = new
