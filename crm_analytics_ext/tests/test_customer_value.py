from odoo.tests import tagged, users

from odoo.addons.crm_analytics_ext.tools import lifecycle, rfm

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCustomerValue(CrmAnalyticsCommon):
    def _rows(self):
        Customer = self.env["crm.analytics.customer"]
        return {
            row.partner_id: row
            for row in Customer.search([("company_id", "=", self.company_rfm.id)])
        }

    @users("rfm_manager")
    def test_aggregates_per_commercial_partner(self):
        rows = self._rows()
        self.assertEqual(
            set(rows), {self.champion, self.regular, self.middle, self.newcomer, self.lost}
        )
        champion = rows[self.champion]
        # six orders of its own and one placed by its contact
        self.assertEqual(champion.order_count, 7)
        self.assertAlmostEqual(champion.revenue, (10 + 8 + 6 + 5 + 5 + 4 + 1) * 1000.0)
        self.assertAlmostEqual(champion.margin, (10 + 8 + 6 + 5 + 5 + 4 + 1) * 400.0)
        self.assertEqual(champion.recency_days, 3)
        self.assertEqual(champion.currency_id, self.company_rfm.currency_id)
        self.assertEqual(champion.user_id, self.salesman)
        # the draft order of the lost customer does not count
        self.assertEqual(rows[self.lost].order_count, 1)
        self.assertEqual(rows[self.lost].recency_days, 700)

    @users("rfm_manager")
    def test_scores_and_segments(self):
        rows = self._rows()
        self.assertEqual(rows[self.champion].rfm_score, "555")
        self.assertEqual(rows[self.champion].segment, "champions")
        self.assertEqual(rows[self.lost].rfm_score, "111")
        self.assertEqual(rows[self.lost].segment, "lost")
        self.assertEqual(rows[self.newcomer].rfm_score, "422")
        self.assertEqual(rows[self.newcomer].segment, "potential")
        self.assertEqual(rows[self.middle].rfm_score, "233")
        self.assertEqual(rows[self.middle].segment, "at_risk")
        self.assertEqual(rows[self.regular].rfm_score, "344")
        self.assertEqual(rows[self.regular].segment, "loyal")

    @users("rfm_manager")
    def test_lifecycle_hand_computed(self):
        rows = self._rows()
        champion = rows[self.champion]
        # order days 200, 150, 120, 80, 60, 40, 3 days ago: gaps 50 30 40 20 20 37
        self.assertAlmostEqual(champion.usual_gap_days, 33.5)
        self.assertEqual(champion.last_gap_days, 37)
        self.assertEqual(champion.stage, "active")
        self.assertAlmostEqual(champion.churn_ratio, 3 / 33.5, places=2)
        self.assertEqual(rows[self.newcomer].stage, "new")
        self.assertEqual(rows[self.lost].stage, "lost")
        # 120 and 180 days between its three orders, silent for 120 days
        self.assertAlmostEqual(rows[self.middle].usual_gap_days, 150.0)
        self.assertEqual(rows[self.middle].stage, "active")
        self.assertTrue(rows[self.regular].is_repeat)
        self.assertFalse(rows[self.newcomer].is_repeat)
        # revenue of the last 12 months and of the 12 before
        self.assertAlmostEqual(rows[self.middle].revenue_12m, 4000.0)
        self.assertAlmostEqual(rows[self.middle].revenue_prev_12m, 1000.0)
        self.assertEqual(rows[self.lost].revenue_at_risk, 0.0)

    def test_sql_agrees_with_python(self):
        """The stored scores, segments and stages are those of tools/rfm.py and lifecycle.py."""
        Customer = self.env["crm.analytics.customer"]
        for company in self.env["res.company"].search([]):
            rows = Customer.search([("company_id", "=", company.id)])
            expected = rfm.score_customers(
                (row.partner_id.id, row.recency_days, row.order_count, row.revenue) for row in rows
            )
            for row in rows:
                self.assertEqual(
                    (row.r_score, row.f_score, row.m_score, row.segment),
                    expected[row.partner_id.id],
                    row.partner_id.display_name,
                )
                self.assertEqual(
                    row.stage,
                    lifecycle.stage(
                        row.order_count, row.recency_days, row.usual_gap_days, row.last_gap_days
                    ),
                )
                self.assertEqual(
                    row.next_order_date,
                    lifecycle.next_order_due(row.last_order_date, row.usual_gap_days),
                )

    def test_seasons_from_the_last_full_years(self):
        start, end = self.env["crm.analytics.customer"]._season_window()
        for row in self.env["crm.analytics.customer"].search(
            [("company_id", "=", self.company_rfm.id)]
        ):
            orders = self.orders.filtered(
                lambda order, row=row: order.partner_id.commercial_partner_id == row.partner_id
                and start <= order.date_order.date() < end
            )
            monthly = {}
            for order in orders:
                month = order.date_order.month
                monthly[month] = monthly.get(month, 0.0) + order.amount_untaxed
            peak, quiet = lifecycle.season_profile(monthly)
            self.assertEqual(row.peak_month, peak and str(peak) or False, row.partner_id.name)
            self.assertEqual(row.quiet_month, quiet and str(quiet) or False)
