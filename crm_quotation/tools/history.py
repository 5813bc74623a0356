"""Purchase history arithmetic, free of Odoo (unit-tested on its own)."""

from datetime import date

from dateutil.relativedelta import relativedelta


def period_bounds(today):
    """Start of the last 12 months and of the 12 months before, as dates.

    The last 12 months are ``[last_start, today]``, the 12 before them
    ``[previous_start, last_start)``.
    """
    if not isinstance(today, date):
        raise TypeError("today must be a date")
    last_start = today - relativedelta(months=12)
    previous_start = today - relativedelta(months=24)
    return last_start, previous_start


def growth(last, previous):
    """Relative growth in percent, or None when there is nothing to compare to."""
    if not previous:
        return None
    return (last - previous) / abs(previous) * 100.0


def top(items, limit=5):
    """The ``limit`` biggest ``(key, amount)`` pairs, biggest first, ties by key order."""
    return sorted(items, key=lambda item: -item[1])[:limit]
