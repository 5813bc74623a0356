"""Claims hardening (issues 9.4 and 14.2).

- "0 = unlimited" open registrations is gone: every tier now has a limit, so
  tiers at 0 get the new default (50) before the CHECK (> 0) constraint is
  added by the update.
- Registrations approved then converted (the former two-step approval) are
  unchanged; the "approved" state stays for registrations approved without an
  opportunity.
"""

from openupgradelib import openupgrade

DEFAULT_MAX_OPEN = 50


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        "UPDATE crm_distributor_tier SET max_open_registrations = %s "
        "WHERE COALESCE(max_open_registrations, 0) <= 0",
        (DEFAULT_MAX_OPEN,),
    )
