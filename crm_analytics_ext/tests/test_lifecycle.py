"""Lifecycle and seasonality rules, on their own."""

import unittest
from datetime import date

from odoo.addons.crm_analytics_ext.tools import lifecycle


class TestLifecycle(unittest.TestCase):
    def test_usual_gap_is_the_median_of_distinct_days(self):
        dates = [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 2)]
        # gaps 30 and 30 (same-day orders count once)
        self.assertEqual(lifecycle.usual_gap(dates), 30.0)
        self.assertEqual(lifecycle.usual_gap([date(2026, 1, 1)]), None)
        self.assertEqual(
            lifecycle.usual_gap([date(2026, 1, 1), date(2026, 1, 11), date(2026, 2, 10)]), 20.0
        )
        self.assertEqual(lifecycle.last_gap([date(2026, 1, 1), date(2026, 1, 11)]), 10)
        self.assertIsNone(lifecycle.last_gap([date(2026, 1, 1)]))

    def test_stage_follows_the_customer_rhythm(self):
        # a monthly buyer silent for 40 days is active, 60 days: at risk
        self.assertEqual(lifecycle.stage(10, 40, 30.0, 30), "active")
        self.assertEqual(lifecycle.stage(10, 60, 30.0, 30), "at_risk")
        # a yearly buyer silent for 60 days is fine
        self.assertEqual(lifecycle.stage(4, 60, 365.0, 365), "active")
        self.assertEqual(lifecycle.stage(10, 100, 30.0, 30), "dormant")
        self.assertEqual(lifecycle.stage(10, 200, 30.0, 30), "lost")
        # one order: default rhythm
        self.assertEqual(lifecycle.stage(1, 20, None, None), "new")
        self.assertEqual(lifecycle.stage(1, 200, None, None), "at_risk")
        # came back after a silence of more than three usual gaps
        self.assertEqual(lifecycle.stage(6, 5, 30.0, 200), "reactivated")
        self.assertEqual(lifecycle.stage(6, 5, 30.0, 80), "active")

    def test_churn_ratio_and_due_date(self):
        self.assertEqual(lifecycle.churn_ratio(45, 30.0), 1.5)
        self.assertEqual(lifecycle.churn_ratio(45, None), 45 / lifecycle.DEFAULT_GAP_DAYS)
        self.assertEqual(lifecycle.next_order_due(date(2026, 1, 1), 30.4), date(2026, 1, 31))
        self.assertEqual(lifecycle.yearly_value(1000.0, 100), 1000.0)
        self.assertEqual(lifecycle.yearly_value(2000.0, 730), 1000.0)

    def test_season_profile(self):
        self.assertEqual(lifecycle.season_profile({}), (None, None))
        self.assertEqual(lifecycle.season_profile({3: 10.0, 11: 50.0}), (11, 1))
        full = {month: 10.0 for month in range(1, 13)}
        full[7] = 1.0
        full[2] = 30.0
        self.assertEqual(lifecycle.season_profile(full), (2, 7))
        # ties: the earliest month
        self.assertEqual(lifecycle.season_profile({4: 5.0, 9: 5.0}), (4, 1))
