"""Customer value scoring: RFM (recency, frequency, monetary).

Plain Python, no Odoo import: the report model builds its SQL from the same
rules (``SEGMENT_RULES``) and PostgreSQL's ``NTILE(5)`` gives the same scores
as :func:`ntile` here, which the tests check on real data.

Scores run from 1 (worst) to 5 (best): the most recent buyers get R=5, the
most frequent F=5, the biggest spenders M=5. The segment is read from R and F
on the usual RFM grid (Champions buy often and recently, Lost bought long
ago and rarely), M ranks customers within a segment.
"""

BUCKETS = 5

# (key, English label): the report's selection and the order of the legend.
SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential", "Potential Loyalists"),
    ("new", "New Customers"),
    ("promising", "Promising"),
    ("need_attention", "Need Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cant_lose", "Cannot Lose Them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]

# ((min R, max R), (min F, max F), segment): the first matching rule wins.
# Together they cover the whole 5 x 5 grid (tested).
SEGMENT_RULES = [
    ((5, 5), (4, 5), "champions"),
    ((3, 4), (4, 5), "loyal"),
    ((4, 5), (2, 3), "potential"),
    ((5, 5), (1, 1), "new"),
    ((4, 4), (1, 1), "promising"),
    ((3, 3), (3, 3), "need_attention"),
    ((3, 3), (1, 2), "about_to_sleep"),
    ((1, 2), (5, 5), "cant_lose"),
    ((1, 2), (3, 4), "at_risk"),
    ((1, 1), (1, 1), "lost"),
    ((1, 2), (1, 2), "hibernating"),
]


def segment(recency_score, frequency_score):
    """The segment key of an (R, F) pair of scores, both from 1 to 5."""
    for (r_min, r_max), (f_min, f_max), key in SEGMENT_RULES:
        if r_min <= recency_score <= r_max and f_min <= frequency_score <= f_max:
            return key
    raise ValueError(f"scores out of range: R={recency_score}, F={frequency_score}")


def ntile(sort_keys, buckets=BUCKETS):
    """Bucket numbers (1..buckets) of items, as PostgreSQL's ``NTILE`` gives them.

    ``sort_keys`` holds one sortable key per item; items are ordered by it
    ascending and split into ``buckets`` groups as equal as possible, the first
    groups taking one more item when the split is uneven. Returns the bucket
    of each item in input order.
    """
    count = len(sort_keys)
    order = sorted(range(count), key=lambda index: sort_keys[index])
    base, extra = divmod(count, buckets)
    result = [0] * count
    position = 0
    for bucket in range(1, buckets + 1):
        size = base + (1 if bucket <= extra else 0)
        for index in order[position : position + size]:
            result[index] = bucket
        position += size
    return result


def score_customers(customers, buckets=BUCKETS):
    """RFM scores and segment of each customer.

    ``customers``: iterable of ``(key, recency_days, frequency, monetary)``;
    ``key`` must be sortable and unique (it breaks ties, like ``partner_id`` in
    the report). Returns ``{key: (r, f, m, segment)}``.
    """
    customers = list(customers)
    keys = [customer[0] for customer in customers]
    recency = ntile([(-days, key) for key, days, _f, _m in customers], buckets)
    frequency = ntile([(freq, key) for key, _d, freq, _m in customers], buckets)
    monetary = ntile([(money, key) for key, _d, _f, money in customers], buckets)
    return {
        key: (r, f, m, segment(r, f))
        for key, r, f, m in zip(keys, recency, frequency, monetary, strict=True)
    }
