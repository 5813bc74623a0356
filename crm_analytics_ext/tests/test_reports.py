from datetime import timedelta

from odoo import fields
from odoo.tests import tagged, users

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestReports(CrmAnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"].with_company(cls.company_rfm)
        cls.won = Lead.create(
            {
                "name": "Tour Champion: second line",
                "type": "opportunity",
                "partner_id": cls.champion.id,
                "user_id": cls.salesman.id,
                "company_id": cls.company_rfm.id,
                "source_id": cls.env.ref("crm_distributor.utm_source_trade_fair").id,
            }
        )
        cls.won.action_set_won()
        cls.lost_deal = Lead.create(
            {
                "name": "Tour Champion: robots",
                "type": "opportunity",
                "partner_id": cls.champion.id,
                "user_id": cls.salesman.id,
                "company_id": cls.company_rfm.id,
            }
        )
        cls.lost_deal.action_set_lost()
        cls.open_lead = Lead.create(
            {"name": "Unqualified lead", "type": "lead", "company_id": cls.company_rfm.id}
        )
        cls.distributor = cls.env["res.partner"].create(
            {"name": "华东自动化经销有限公司", "is_company": True, "is_distributor": True}
        )
        cls.sell_in = cls._confirmed_order(cls.distributor, 20, 5)
        cls.sell_in.order_line.qty_delivered = 3
        cls.env["crm.sell.out"].create(
            {
                "company_id": cls.company_rfm.id,
                "distributor_id": cls.distributor.id,
                "partner_id": cls.middle.id,
                "product_id": cls.product.id,
                "quantity": 1,
                "date": fields.Date.today() - timedelta(days=5),
            }
        )
        cls.env.flush_all()
        # the scheduled job, first run of the day: the queue, then the whole review
        # (the deals above are counted by it, they queue no order)
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_analytics_ext.last_restage_date", False
        )
        cls.env["crm.analytics.dirty"]._cron_refresh()
        cls.year = str(fields.Date.today().year)

    @users("rfm_manager")
    def test_year_review(self):
        Review = self.env["crm.analytics.year.review"]
        rows = Review.search([("partner_id", "=", self.champion.id), ("year", "=", self.year)])
        self.assertAlmostEqual(sum(rows.mapped("revenue")), 39000.0)
        self.assertAlmostEqual(sum(rows.mapped("margin")), 15600.0)
        self.assertEqual(sum(rows.mapped("order_count")), 7)
        self.assertEqual(sum(rows.mapped("won_count")), 1)
        self.assertEqual(sum(rows.mapped("lost_count")), 1)
        # the middle customer: 4,000 this year, 1,000 the year before (if 420 days ago)
        middle = Review.search([("partner_id", "=", self.middle.id)])
        by_year = {}
        for row in middle:
            by_year.setdefault(row.year, [0.0, 0.0])
            by_year[row.year][0] += row.revenue
            by_year[row.year][1] += row.revenue_prev_year
        self.assertAlmostEqual(sum(revenue for revenue, _prev in by_year.values()), 5000.0)
        for year, (_revenue, revenue_prev_year) in by_year.items():
            previous = by_year.get(str(int(year) - 1), [0.0])[0]
            self.assertAlmostEqual(revenue_prev_year, previous, msg=year)

    def test_cron_reviews_the_customers_whose_deals_changed(self):
        """A deal won since the last run is counted by the next run, which rewrites the
        rows of that customer only (the whole review is rebuilt once a day)."""
        Review = self.env["crm.analytics.year.review"]
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "crm_analytics_ext.last_restage_date",
            fields.Date.to_string(fields.Date.today()),
        )
        self.env["crm.analytics.dirty"]._cron_refresh()
        middle_rows = Review.search([("partner_id", "=", self.middle.id)])
        self.assertTrue(middle_rows)

        def won_count(partner):
            rows = Review.search([("partner_id", "=", partner.id), ("year", "=", self.year)])
            return sum(rows.mapped("won_count"))

        self.assertEqual(won_count(self.champion), 1)
        deal = self.env["crm.lead"].create(
            {
                "name": "Champion: third line",
                "type": "opportunity",
                "partner_id": self.champion_contact.id,
                "user_id": self.salesman.id,
                "company_id": self.company_rfm.id,
            }
        )
        deal.action_set_won()
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._cron_refresh()
        self.assertEqual(won_count(self.champion), 2)
        # the other customers' rows were not rewritten
        self.assertEqual(Review.search([("partner_id", "=", self.middle.id)]), middle_rows)

    def _funnel_snapshot(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT lead_id, company_id, user_id, team_id, source_id, medium_id, campaign_id, "
            "distributor_id, channel, create_date, date_closed, lead_count, opportunity_count, "
            "won_count, lost_count, cycle_days, expected_revenue FROM crm_analytics_funnel"
        )
        return set(self.env.cr.fetchall())

    def test_cron_keeps_the_funnel(self):
        """Leads created, won or deleted since the last run: the next run rewrites their
        rows only, and the funnel then equals the one computed whole."""
        Funnel = self.env["crm.analytics.funnel"]
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_analytics_ext.last_restage_date",
            fields.Date.to_string(fields.Date.today()),
        )
        self.env["crm.analytics.dirty"]._cron_refresh()
        # the leads above were written in this same transaction, so at the time the
        # job keeps as its last run: move them before it
        self.env.cr.execute("UPDATE crm_lead SET write_date = write_date - interval '1 hour'")
        lost_row = Funnel.search([("lead_id", "=", self.lost_deal.id)])
        new_deal = (
            self.env["crm.lead"]
            .with_company(self.company_rfm)
            .create(
                {
                    "name": "Middle: new cell",
                    "type": "opportunity",
                    "partner_id": self.middle.id,
                    "user_id": self.salesman.id,
                    "company_id": self.company_rfm.id,
                }
            )
        )
        new_deal.action_set_won()
        self.open_lead.unlink()
        self.env.flush_all()
        self.env["crm.analytics.dirty"]._cron_refresh()
        rows = Funnel.search([("company_id", "=", self.company_rfm.id)])
        self.assertEqual(rows.lead_id, self.won | self.lost_deal | new_deal)
        self.assertEqual(rows.filtered(lambda row: row.lead_id == new_deal).won_count, 1)
        # the rows of the leads left alone were not rewritten
        self.assertEqual(Funnel.search([("lead_id", "=", self.lost_deal.id)]), lost_row)
        incremental = self._funnel_snapshot()
        Funnel._refresh_funnel(None)
        self.assertEqual(incremental, self._funnel_snapshot())

    @users("rfm_manager")
    def test_funnel(self):
        Funnel = self.env["crm.analytics.funnel"]
        rows = Funnel.search([("company_id", "=", self.company_rfm.id)])
        self.assertEqual(sum(rows.mapped("lead_count")), 3)
        self.assertEqual(sum(rows.mapped("opportunity_count")), 2)
        self.assertEqual(sum(rows.mapped("won_count")), 1)
        self.assertEqual(sum(rows.mapped("lost_count")), 1)
        won = rows.filtered(lambda row: row.lead_id == self.won)
        self.assertEqual(won.channel, "trade_fair")
        self.assertGreaterEqual(won.cycle_days, 0)
        action = rows.action_open_leads()
        leads = self.env["crm.lead"].search(action["domain"])
        self.assertEqual(leads, self.won | self.lost_deal | self.open_lead)

    @users("rfm_channel")
    def test_sell_through(self):
        rows = self.env["crm.analytics.sell.through"].search(
            [("distributor_id", "=", self.distributor.id)]
        )
        self.assertEqual(sum(rows.mapped("sell_in_qty")), 3)
        self.assertEqual(sum(rows.mapped("sell_out_qty")), 1)
        self.assertEqual(sum(rows.mapped("channel_stock_qty")), 2)
        facts = self.env["crm.analytics.customer.month"].search(
            [("partner_id", "=", self.distributor.id)]
        )
        self.assertEqual(facts.channel, "distributor")
        self.assertEqual(facts.distributor_id, self.distributor)

    @users("rfm_salesman")
    def test_salesperson_reads_own_review_and_funnel(self):
        self.assertEqual(
            self.env["crm.analytics.funnel"].search([]).lead_id, self.won | self.lost_deal
        )
        self.assertEqual(self.env["crm.analytics.year.review"].search([]).user_id, self.salesman)

    def test_registration_metrics(self):
        Registration = self.env["crm.deal.registration"].with_company(self.company_rfm)
        now = fields.Datetime.now()
        values = {"distributor_id": self.distributor.id, "company_id": self.company_rfm.id}
        approved, rejected, draft = Registration.create(
            [
                dict(values, partner_name="苏州明达机电有限公司"),
                dict(values, partner_name="无锡恒通设备有限公司"),
                dict(values, partner_name="常州远航电气有限公司"),
            ]
        )
        # the workflow itself is crm_distributor's: only its outcome is set here
        approved.write(
            {
                "state": "approved",
                "submit_date": now - timedelta(days=4),
                "approve_date": fields.Date.today(),
                "is_conflict": True,
            }
        )
        rejected.write({"state": "rejected", "submit_date": now})
        self.env.flush_all()
        rows = (
            self.env["crm.analytics.registration"]
            .with_user(self.manager)
            .search([("distributor_id", "=", self.distributor.id)])
        )
        self.assertEqual(rows.registration_id, approved | rejected)
        self.assertNotIn(draft, rows.registration_id)
        self.assertEqual(sum(rows.mapped("submitted_count")), 2)
        self.assertEqual(sum(rows.mapped("approved_count")), 1)
        self.assertEqual(sum(rows.mapped("rejected_count")), 1)
        self.assertEqual(sum(rows.mapped("conflict_count")), 1)
        self.assertEqual(rows.filtered("approved_count").approve_days, 4)
