"""The plain-Python RFM scoring, on its own."""

import unittest

from odoo.addons.crm_analytics_ext.tools import rfm


class TestRfm(unittest.TestCase):
    def test_segment_rules_cover_the_grid(self):
        keys = {key for key, _label in rfm.SEGMENTS}
        for r in range(1, 6):
            for f in range(1, 6):
                self.assertIn(rfm.segment(r, f), keys)
        self.assertEqual({rule[2] for rule in rfm.SEGMENT_RULES}, keys)

    def test_segment_corners(self):
        self.assertEqual(rfm.segment(5, 5), "champions")
        self.assertEqual(rfm.segment(1, 1), "lost")
        self.assertEqual(rfm.segment(5, 1), "new")
        self.assertEqual(rfm.segment(1, 5), "cant_lose")
        self.assertEqual(rfm.segment(2, 4), "at_risk")
        self.assertEqual(rfm.segment(4, 4), "loyal")
        self.assertEqual(rfm.segment(2, 1), "hibernating")
        with self.assertRaises(ValueError):
            rfm.segment(0, 3)

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
        self.assertEqual(scores[4][3], "at_risk")
        self.assertEqual(scores[5][3], "need_attention")

    def test_ties_are_broken_by_key(self):
        scores = rfm.score_customers([(key, 10, 1, 100.0) for key in range(5)])
        self.assertEqual([scores[key][1] for key in range(5)], [1, 2, 3, 4, 5])
