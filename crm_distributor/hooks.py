def post_init_hook(env):
    """Fill the matching keys of the existing registrations in SQL batches
    (the keys of partners and leads are crm_match's)."""
    env["crm.deal.registration"]._match_backfill_keys(missing_only=True)
