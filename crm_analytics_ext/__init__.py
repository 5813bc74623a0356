from . import models


def post_init_hook(env):
    """Build the facts of the orders that exist before the addon."""
    env["crm.analytics.dirty"]._rebuild_all()
