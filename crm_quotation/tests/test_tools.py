from datetime import date

from odoo.tests import BaseCase

from odoo.addons.crm_quotation.tools import credit, history


class TestCreditTools(BaseCase):
    def test_position(self):
        position = credit.CreditPosition(limit=1000, receivable=300, uninvoiced=200)
        self.assertEqual(position.used, 500)
        self.assertEqual(position.available, 500)
        self.assertEqual(position.after(700), -200)
        self.assertFalse(credit.CreditPosition(0, 10, 10).has_limit)

    def test_evaluate(self):
        position = credit.CreditPosition(limit=1000, receivable=300, uninvoiced=200)
        self.assertTrue(credit.evaluate(position, 500).allowed)
        self.assertEqual(credit.evaluate(position, 500.01).reasons, (credit.OVER_LIMIT,))
        self.assertEqual(
            credit.evaluate(credit.CreditPosition(0, 0, 0), 1).reasons, (credit.NO_LIMIT,)
        )
        late = credit.CreditPosition(1000, 100, 0, overdue_amount=100, overdue_days=45)
        self.assertEqual(credit.evaluate(late, 10, max_overdue_days=30).reasons, (credit.OVERDUE,))
        self.assertTrue(credit.evaluate(late, 10, max_overdue_days=60).allowed)
        self.assertTrue(credit.evaluate(late, 10, max_overdue_days=0).allowed)

    def test_approval_covers(self):
        self.assertTrue(credit.approval_covers(100, "CNY", 100, "CNY"))
        self.assertTrue(credit.approval_covers(100, "CNY", 80, "CNY"))
        self.assertFalse(credit.approval_covers(100, "CNY", 100.5, "CNY"))
        self.assertFalse(credit.approval_covers(100, "CNY", 100, "USD"))
        self.assertFalse(credit.approval_covers(0, "CNY", 0, "CNY"))


class TestHistoryTools(BaseCase):
    def test_period_bounds_and_growth(self):
        today = date(2026, 6, 30)
        self.assertEqual(history.period_bounds(today), (date(2025, 6, 30), date(2024, 6, 30)))
        self.assertEqual(history.growth(150.0, 50.0), 200.0)
        self.assertEqual(history.growth(50.0, 100.0), -50.0)
        self.assertIsNone(history.growth(150.0, 0.0))

    def test_top(self):
        items = [("a", 1.0), ("b", 5.0), ("c", 3.0)]
        self.assertEqual(history.top(items, limit=2), [("b", 5.0), ("c", 3.0)])
        with self.assertRaises(TypeError):
            history.period_bounds("2026-01-01")
