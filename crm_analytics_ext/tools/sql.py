"""SQL helpers of the tables the analytics job keeps (facts, review, funnel)."""

from odoo.tools import SQL


def insert_query_rows(cr, table, query, analyze=False):
    """Insert the rows of ``query`` (an ``SQL`` SELECT whose columns are named as the
    columns of ``table``) into ``table``.

    The rows are computed into a temporary table first: PostgreSQL runs the
    SELECT of a ``CREATE TABLE ... AS`` in parallel, never one that feeds an
    ``INSERT``, and the queries of a full rebuild read millions of rows.
    ``analyze``: the table was filled anew, refresh its statistics for the
    plans of the reports read from it.
    """
    rows = SQL.identifier(f"{table}_new")
    cr.execute(SQL("CREATE TEMPORARY TABLE %s ON COMMIT DROP AS %s", rows, query))
    # the query's column names, as the temporary table took them
    cr.execute(SQL("SELECT * FROM %s LIMIT 0", rows))
    names = SQL(", ").join(SQL.identifier(column.name) for column in cr.description)
    cr.execute(
        SQL("INSERT INTO %s (%s) SELECT %s FROM %s", SQL.identifier(table), names, names, rows)
    )
    cr.execute(SQL("DROP TABLE %s", rows))
    if analyze:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
