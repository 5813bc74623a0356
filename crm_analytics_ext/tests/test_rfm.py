"""The plain-Python RFM scoring, on its own."""

import unittest

from odoo.addons.crm_analytics_ext.tools import rfm


class TestRfm(unittest.TestCase):
    def test_segment_rules_cover_the_cube(self):
        keys = {key for key, _label in rfm.SEGMENTS}
        seen = set()
        for r in range(1, 6):
            for f in range(1, 6):
                for m in range(1, 6):
                    seen.add(rfm.segment(r, f, m))
        self.assertEqual(seen, keys)
        self.assertEqual({rule[3] for rule in rfm.SEGMENT_RULES}, keys)

    def test_segment_uses_the_monetary_score(self):
        self.assertEqual(rfm.segment(5, 5, 5), "champions")
        # recent and frequent but small: not a champion
        self.assertEqual(rfm.segment(5, 5, 1), "promising")
        self.assertEqual(rfm.segment(1, 5, 5), "cant_lose")
        self.assertEqual(rfm.segment(1, 5, 1), "hibernating")
        self.assertEqual(rfm.segment(2, 4, 3), "at_risk")
        self.assertEqual(rfm.segment(3, 3, 3), "loyal")
        self.assertEqual(rfm.segment(3, 2, 4), "need_attention")
        self.assertEqual(rfm.segment(3, 2, 1), "about_to_sleep")
        self.assertEqual(rfm.segment(5, 1, 2), "new")
        self.assertEqual(rfm.segment(4, 2, 2), "potential")
        self.assertEqual(rfm.segment(1, 1, 1), "lost")
        with self.assertRaises(ValueError):
            rfm.segment(0, 3, 3)

    def test_ntile_matches_postgresql_split(self):
        # NTILE(5) over 7 rows: groups of 2, 2, 1, 1, 1
        self.assertEqual(rfm.ntile([10, 20, 30, 40, 50, 60, 70]), [1, 1, 2, 2, 3, 4, 5])
        # input order does not matter, ordering does
        self.assertEqual(rfm.ntile([70, 10, 40]), [3, 1, 2])
        # fewer rows than buckets: one per bucket from 1
        self.assertEqual(rfm.ntile([5, 1]), [2, 1])
        self.assertEqual(rfm.ntile([]), [])
        self.assertEqual(sorted(rfm.ntile(list(range(10)))), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])

    def test_score_customers(self):
        customers = [
            # key, recency days, frequency, monetary
            (1, 3, 40, 900_000.0),  # bought yesterday, often, a lot
            (2, 700, 1, 1_000.0),  # one small order two years ago
            (3, 20, 1, 50_000.0),  # first order last month
            (4, 400, 30, 600_000.0),  # used to buy a lot, silent for a year
            (5, 90, 10, 120_000.0),
        ]
        scores = rfm.score_customers(customers)
        self.assertEqual(scores[1], (5, 5, 5, "champions"))
        self.assertEqual(scores[2][:2], (1, 1))
        self.assertEqual(scores[2][3], "lost")
        self.assertEqual(scores[3][3], "potential")
        self.assertEqual(scores[4][:3], (2, 4, 4))
        self.assertEqual(scores[4][3], "cant_lose")
        self.assertEqual(scores[5][:3], (3, 3, 3))
        self.assertEqual(scores[5][3], "loyal")

    def test_ties_are_broken_by_key(self):
        scores = rfm.score_customers([(key, 10, 1, 100.0) for key in range(5)])
        self.assertEqual([scores[key][1] for key in range(5)], [1, 2, 3, 4, 5])
