from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged, users

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestCustomerTimeline(CrmServiceChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls._make_units(cls.robot, ["TR6-T-0001"])
        cls._deliver(cls.distributor, cls.robot, cls.units)
        cls.contact = cls.env["res.partner"].create(
            {"name": "精工 采购部 林工", "parent_id": cls.end_customer.id}
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "精工五金 二期", "type": "opportunity", "partner_id": cls.contact.id}
        )
        # a real company tracks stage changes (the test base disables tracking, and
        # discards the pending tracking of the records it creates until commit)
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.lead.with_context(tracking_disable=False, mail_notrack=False).stage_id = cls.env[
            "crm.stage"
        ].search([], order="sequence", limit=2)[-1]
        cls.env.flush_all()
        cls.env.cr.precommit.run()  # the tracking values are written at commit
        cls.env["sale.order"].create({"partner_id": cls.contact.id})
        cls.env["crm.sell.out"].create(
            {
                "distributor_id": cls.distributor.id,
                "partner_id": cls.end_customer.id,
                "product_id": cls.robot.id,
                "quantity": 1,
                "serial_numbers": "TR6-T-0001",
                "date": fields.Date.today(),
            }
        )
        request = cls.env["crm.service.request"].create({"lot_id": cls.units.id})
        request.action_create_repair()
        cls.env["crm.visit"].create(
            {"name": "精工拜访", "partner_id": cls.contact.id, "user_id": cls.salesman.id}
        )
        cls.env["calendar.event"].create(
            {
                "name": "精工技术交流会",
                "start": fields.Datetime.now() + timedelta(days=1),
                "stop": fields.Datetime.now() + timedelta(days=1, hours=1),
                "partner_ids": [Command.set((cls.contact | cls.salesman.partner_id).ids)],
            }
        )
        cls.lead.activity_schedule(
            "mail.mail_activity_data_call", summary="电话回访"
        ).action_feedback(feedback="客户确认二期预算")

    def _timeline(self, partner=None, **kwargs):
        return self.env["crm.customer.timeline"].search(
            [("partner_id", "=", (partner or self.end_customer).id)], **kwargs
        )

    @users("sv_service")
    def test_every_kind_newest_first(self):
        events = self._timeline()
        kinds = set(events.mapped("kind"))
        for kind in (
            "lead",
            "stage",
            "quotation",
            "sell_out",
            "service_request",
            "repair",
            "visit",
            "meeting",
            "activity",
        ):
            self.assertIn(kind, kinds)
        dates = events.mapped("date")
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertEqual(events[0].kind, "meeting", "tomorrow's meeting first")
        self.assertFalse(self._timeline(self.distributor_other))
        service_only = self.env["crm.customer.timeline"].search(
            [
                ("partner_id", "=", self.end_customer.id),
                ("kind", "in", ("service_request", "repair")),
            ]
        )
        self.assertEqual(set(service_only.mapped("kind")), {"service_request", "repair"})
        action = events.filtered(lambda e: e.kind == "repair").action_open_document()
        self.assertEqual(action["res_model"], "repair.order")

    def test_distributor_side_on_its_own_timeline(self):
        kinds = set(self._timeline(self.distributor).mapped("kind"))
        self.assertIn("delivery", kinds)
        self.assertIn("order", kinds)

    def test_forms_open_the_timeline(self):
        domain = [("partner_id", "=", self.end_customer.id)]
        self.assertEqual(self.contact.action_view_timeline()["domain"], domain)
        self.assertEqual(self.lead.action_view_timeline()["domain"], domain)
        request = self.env["crm.service.request"].search([("lot_id", "=", self.units.id)])
        self.assertEqual(request.action_view_timeline()["domain"], domain)

    @users("sv_service")
    def test_same_queries_at_10_and_many_events(self):
        Timeline = self.env["crm.customer.timeline"]
        small = self.env["res.partner"].sudo().create({"name": "小客户", "is_company": True})
        big = self.env["res.partner"].sudo().create({"name": "大客户", "is_company": True})
        full = self.env["res.partner"].sudo().create({"name": "中客户", "is_company": True})
        for partner, count in ((small, 10), (full, 100), (big, 600)):
            self.env.cr.execute(
                """INSERT INTO crm_visit (name, partner_id, commercial_partner_id, user_id, date,
                                          visit_type, company_id)
                   SELECT 'v' || n, %s, %s, %s, now() - n * interval '1 hour', 'visit', %s
                     FROM generate_series(1, %s) n""",
                [partner.id, partner.id, self.salesman.id, self.env.company.id, count],
            )
        spec = {"date": {}, "kind": {}, "name": {}, "user_id": {"fields": {"display_name": {}}}}
        Timeline.web_search_read([("partner_id", "=", small.id)], spec, limit=80)  # warm caches
        counts = {}
        for partner in (small, full, big):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = Timeline.web_search_read([("partner_id", "=", partner.id)], spec, limit=80)
            counts[partner] = self.env.cr.sql_log_count - before
            self.assertEqual(len(result["records"]), min(80, result["length"]))
        # a full page also counts the events for the pager: one query, whatever their number
        self.assertEqual(counts[full], counts[big])
        self.assertEqual(counts[small] + 1, counts[big])
        self.env.invalidate_all()
        with self.assertQueryCount(counts[big]):
            Timeline.web_search_read([("partner_id", "=", big.id)], spec, limit=80)
