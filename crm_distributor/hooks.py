import os


def post_init_hook(env):
    """Fill the matching keys of the existing registrations in SQL batches
    (the keys of partners and leads are crm_match's)."""
    # as crm_match's own hook: one process per core, the table's indexes built once
    env["crm.deal.registration"]._match_backfill_keys(
        missing_only=True,
        processes=os.cpu_count() or 1,
        drop_table_indexes=True,
    )
