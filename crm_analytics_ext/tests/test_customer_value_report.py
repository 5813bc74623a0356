from odoo.tests import tagged, users
from odoo.tools import SQL

from odoo.addons.crm_analytics_ext.tools import rfm

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCustomerValueReport(CrmAnalyticsCommon):
    def _rows(self):
        Report = self.env["crm.customer.value.report"]
        return {
            row.partner_id: row for row in Report.search([("company_id", "=", self.company_rfm.id)])
        }

    @users("rfm_manager")
    def test_aggregates_per_commercial_partner(self):
        rows = self._rows()
        self.assertEqual(
            set(rows), {self.champion, self.regular, self.middle, self.newcomer, self.lost}
        )
        champion = rows[self.champion]
        # six orders of its own and one placed by its contact
        self.assertEqual(champion.frequency, 7)
        self.assertAlmostEqual(champion.monetary, (10 + 8 + 6 + 5 + 5 + 4 + 1) * 1000.0)
        self.assertAlmostEqual(champion.margin, (10 + 8 + 6 + 5 + 5 + 4 + 1) * 400.0)
        self.assertEqual(champion.recency_days, 3)
        self.assertAlmostEqual(champion.average_order, 39000.0 / 7)
        self.assertEqual(champion.currency_id, self.company_rfm.currency_id)
        # the draft order of the lost customer does not count
        self.assertEqual(rows[self.lost].frequency, 1)
        self.assertEqual(rows[self.lost].recency_days, 700)

    @users("rfm_manager")
    def test_scores_and_segments(self):
        rows = self._rows()
        self.assertEqual(rows[self.champion].rfm_score, "555")
        self.assertEqual(rows[self.champion].segment, "champions")
        self.assertEqual(rows[self.lost].rfm_score, "111")
        self.assertEqual(rows[self.lost].segment, "lost")
        # R: lost < middle < regular < newcomer < champion; F ties broken by id
        self.assertEqual(rows[self.newcomer].rfm_score, "422")
        self.assertEqual(rows[self.newcomer].segment, "potential")
        self.assertEqual(rows[self.middle].rfm_score, "233")
        self.assertEqual(rows[self.middle].segment, "at_risk")
        self.assertEqual(rows[self.regular].rfm_score, "344")
        self.assertEqual(rows[self.regular].segment, "loyal")

    def test_sql_scores_agree_with_python(self):
        """NTILE in PostgreSQL and rfm.ntile give the same scores, whatever the data."""
        Report = self.env["crm.customer.value.report"]
        for company in self.env["res.company"].search([]):
            rows = Report.search([("company_id", "=", company.id)])
            expected = rfm.score_customers(
                (row.partner_id.id, row.recency_days, row.frequency, row.monetary) for row in rows
            )
            for row in rows:
                self.assertEqual(
                    (row.r_score, row.f_score, row.m_score, row.segment),
                    expected[row.partner_id.id],
                    row.partner_id.display_name,
                )

    def test_report_query_is_one_statement(self):
        Report = self.env["crm.customer.value.report"]
        query = Report._table_query
        self.assertIsInstance(query, SQL)
        with self.assertQueryCount(1):
            Report.search_read([("company_id", "=", self.company_rfm.id)], ["segment", "monetary"])

    @users("rfm_salesman")
    def test_salesman_cannot_read(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["crm.customer.value.report"].search([])

    @users("rfm_manager")
    def test_company_rule(self):
        visible = self.env["crm.customer.value.report"].search([])
        self.assertEqual(visible.company_id, self.company_rfm)
        self.assertNotIn(self.outsider, visible.partner_id)
        # the same customer buying in both companies has one row per company
        both = (
            self.env["crm.customer.value.report"]
            .sudo()
            .search([("partner_id", "=", self.outsider.id)])
        )
        self.assertEqual(both.company_id, self.env.ref("base.main_company"))

    @users("rfm_manager")
    def test_read_group_by_segment(self):
        groups = self.env["crm.customer.value.report"]._read_group(
            [("company_id", "=", self.company_rfm.id)],
            groupby=["segment"],
            aggregates=["monetary:sum", "__count"],
        )
        totals = {segment: (monetary, count) for segment, monetary, count in groups}
        self.assertEqual(totals["champions"], (39000.0, 1))
