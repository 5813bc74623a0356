"""18.0.2.0.0: the matching engine, the keys of partners and leads and the
customer search moved to the new addon crm_match.

The move itself (openupgradelib's update_module_moved_models and
update_module_moved_fields, and the views' XML ids) is done by crm_match's
pre-init hook: crm_match is a new dependency, so Odoo installs it before this
script runs, and the ownership must change before crm_match's models are
loaded, or its install would create a second set of records and this
upgrade's clean-up would delete crm_distributor's (dropping the key columns).
Here it is called again for a database where crm_match was installed on its
own first (it does nothing when the move is done)."""

from openupgradelib import openupgrade

from odoo.addons.crm_match.hooks import move_from_previous_owner


@openupgrade.migrate()
def migrate(env, version):
    move_from_previous_owner(env)
