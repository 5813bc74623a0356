"""Customer value scoring: RFM (recency, frequency, monetary).

Plain Python, no Odoo import: the report model builds its SQL from the same
rules (``SEGMENT_RULES``) and PostgreSQL's ``NTILE(5)`` gives the same scores
as :func:`ntile` here, which the tests check on real data.

Scores run from 1 (worst) to 5 (best): the most recent buyers get R=5, the
most frequent F=5, the biggest spenders M=5. The segment is read from all
three scores (Champions buy often, recently and a lot; Lost bought long ago,
rarely and little).
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

# ((min R, max R), (min F, max F), (min M, max M), segment): the first matching
# rule wins. Together they cover the whole 5 x 5 x 5 cube (tested), and the
# best segments need the monetary score too: three small recent buyers are
# "promising", not "champions".
SEGMENT_RULES = [
    ((4, 5), (4, 5), (4, 5), "champions"),
    ((3, 5), (3, 5), (3, 5), "loyal"),
    ((1, 2), (4, 5), (4, 5), "cant_lose"),
    ((1, 2), (3, 5), (3, 5), "at_risk"),
    ((5, 5), (1, 1), (1, 5), "new"),
    ((4, 5), (1, 3), (1, 5), "potential"),
    ((4, 5), (4, 5), (1, 2), "promising"),
    ((3, 3), (1, 5), (3, 5), "need_attention"),
    ((3, 3), (1, 5), (1, 2), "about_to_sleep"),
    ((1, 1), (1, 2), (1, 2), "lost"),
    ((1, 2), (1, 5), (1, 5), "hibernating"),
]


def segment(recency_score, frequency_score, monetary_score):
    """The segment key of (R, F, M) scores, each from 1 to 5."""
    for (r_min, r_max), (f_min, f_max), (m_min, m_max), key in SEGMENT_RULES:
        if (
            r_min <= recency_score <= r_max
            and f_min <= frequency_score <= f_max
            and m_min <= monetary_score <= m_max
        ):
            return key
    raise ValueError(
        f"scores out of range: R={recency_score}, F={frequency_score}, M={monetary_score}"
    )


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
        key: (r, f, m, segment(r, f, m))
        for key, r, f, m in zip(keys, recency, frequency, monetary, strict=True)
    }
