"""Customer lifecycle from each customer's own rhythm, and its seasonality.

Plain Python, no Odoo import. The summary model builds its SQL ``CASE`` from
the same constants and ``STAGE_RULES`` (``lifecycle_case_sql`` in the model),
so the stages stored in the database and :func:`stage` here agree (tested).

The usual gap of a customer is the median number of days between two of its
orders on different days; a customer with a single order gets
``DEFAULT_GAP_DAYS``. The churn-risk ratio is the days since its last order
divided by that usual gap: 1 means "an order is due today".
"""

import statistics
from datetime import timedelta

DEFAULT_GAP_DAYS = 90
# a last gap this many times the usual gap, then buying again: reactivated
REACTIVATION_RATIO = 3.0

STAGES = [
    ("new", "New"),
    ("active", "Active"),
    ("reactivated", "Reactivated"),
    ("at_risk", "At Risk"),
    ("dormant", "Dormant"),
    ("lost", "Lost"),
]

# (minimum churn ratio exclusive, stage): the first rule whose ratio is
# exceeded wins; below them all the customer is new, reactivated or active.
STAGE_RULES = [
    (6.0, "lost"),
    (3.0, "dormant"),
    (1.5, "at_risk"),
]

# Stages whose yearly revenue is counted as "at risk".
RISK_STAGES = ("at_risk", "dormant")

SEASON_YEARS = 3


def usual_gap(order_dates):
    """Median days between consecutive orders on different days, or None."""
    days = sorted(set(order_dates))
    gaps = [(later - earlier).days for earlier, later in zip(days, days[1:], strict=False)]
    return float(statistics.median(gaps)) if gaps else None


def last_gap(order_dates):
    """Days between the last two order days, or None."""
    days = sorted(set(order_dates))
    return (days[-1] - days[-2]).days if len(days) > 1 else None


def churn_ratio(days_since_last, gap):
    """Days since the last order divided by the usual gap (default when unknown)."""
    return days_since_last / (gap or DEFAULT_GAP_DAYS)


def stage(order_count, days_since_last, gap, previous_gap):
    """Lifecycle stage key of a customer.

    ``gap`` is its usual gap (None: unknown), ``previous_gap`` the days between
    its last two orders (None with a single order).
    """
    ratio = churn_ratio(days_since_last, gap)
    for threshold, key in STAGE_RULES:
        if ratio > threshold:
            return key
    if order_count <= 1:
        return "new"
    if gap and previous_gap and previous_gap > REACTIVATION_RATIO * gap:
        return "reactivated"
    return "active"


def next_order_due(last_order_date, gap):
    """Date the next order is expected, from the usual gap."""
    return last_order_date + timedelta(days=round(gap or DEFAULT_GAP_DAYS))


def yearly_value(revenue, tenure_days):
    """Revenue per year of a customer, over at least one year of tenure."""
    return revenue * 365.0 / max(tenure_days, 365)


def season_profile(monthly_revenue):
    """(peak month, quiet month) of a ``{month 1..12: revenue}`` profile.

    Missing months count as 0; ties go to the earliest month. (None, None)
    when there is no revenue at all.
    """
    profile = [monthly_revenue.get(month, 0.0) for month in range(1, 13)]
    if not any(profile):
        return None, None
    peak = max(range(12), key=lambda index: (profile[index], -index)) + 1
    quiet = min(range(12), key=lambda index: (profile[index], index)) + 1
    return peak, quiet
