from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged, users

from .common import CrmServiceBridgeCommon


@tagged("post_install", "-at_install")
class TestVisit(CrmServiceBridgeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.first_visit = (
            cls.env["crm.visit"]
            .with_user(cls.salesman)
            .create(
                {
                    "name": "首次拜访：了解扩产计划",
                    "partner_id": cls.customer.id,
                    "date": cls.now - timedelta(days=5),
                }
            )
        )

    def _visit(self, user, partner=None, days_ago=0, **values):
        return (
            self.env["crm.visit"]
            .with_user(user)
            .create(
                {
                    "name": "回访",
                    "partner_id": (partner or self.customer_site).id,
                    "date": self.now - timedelta(days=days_ago),
                    **values,
                }
            )
        )

    def test_first_visit_has_no_overlap(self):
        self.assertFalse(self.first_visit.recent_visit_ids)
        self.assertFalse(self.first_visit.overlap_warning)
        self.assertEqual(self.first_visit.user_id, self.salesman)
        self.assertEqual(self.first_visit.commercial_partner_id, self.customer)

    def test_other_user_sees_and_notifies(self):
        visit = self._visit(self.salesman_2)
        # same commercial entity, other user, within 30 days
        self.assertEqual(visit.recent_visit_ids, self.first_visit)
        self.assertEqual(visit.recent_visitor_ids, self.salesman)
        self.assertIn(self.salesman.name, visit.overlap_warning)
        self.assertIn(self.customer.name, visit.overlap_warning)
        # the colleague is told about the new visit
        note = visit.message_ids.filtered(lambda m: self.salesman.partner_id in m.partner_ids)
        self.assertTrue(note)
        self.assertIn(self.salesman.partner_id, visit.message_partner_ids)
        # and the earlier visit now shows the new one as well
        self.first_visit.invalidate_recordset(["recent_visit_ids"])
        self.assertEqual(self.first_visit.recent_visitor_ids, self.salesman_2)

    def test_own_visits_do_not_warn(self):
        visit = self._visit(self.salesman)
        self.assertFalse(visit.recent_visit_ids)
        self.assertFalse(visit.message_ids.filtered(lambda m: m.partner_ids))

    def test_window_from_parameter(self):
        old = self._visit(self.salesman_2, days_ago=60)
        self.assertFalse(old.recent_visit_ids, "55 days apart, window 30")
        self.env["ir.config_parameter"].set_param("crm_service_bridge.visit_overlap_days", "90")
        old.invalidate_recordset()
        self.assertEqual(old.recent_visit_ids, self.first_visit)
        self.env["ir.config_parameter"].set_param("crm_service_bridge.visit_overlap_days", "abc")
        self.assertEqual(self.env["crm.visit"]._get_overlap_days(), 30)

    def test_other_customer_does_not_warn(self):
        other = self.env["res.partner"].create({"name": "另一家客户", "is_company": True})
        self.assertFalse(self._visit(self.salesman_2, partner=other).recent_visit_ids)

    @users("sb_salesman_2")
    def test_form_warns_while_planning(self):
        form = Form(self.env["crm.visit"])
        form.name = "拜访二号厂区"
        self.assertFalse(form.overlap_warning)
        form.partner_id = self.customer_site
        self.assertIn(self.salesman.name, form.overlap_warning)
        visit = form.save()
        self.assertEqual(visit.user_id, self.salesman_2)
        action = visit.action_open_recent_visits()
        self.assertEqual(set(action["domain"][0][2]), {visit.id, self.first_visit.id})

    def test_service_user_logs_visits(self):
        visit = self._visit(self.service_user, visit_type="service")
        self.assertEqual(visit.recent_visitor_ids, self.salesman)
        self.assertEqual(self.customer.visit_count, 2)
        self.assertEqual(self.customer_site.visit_count, 2)
        action = self.customer_site.action_view_visits()
        self.assertEqual(action["domain"], [("commercial_partner_id", "=", self.customer.id)])

    def test_list_compute_is_batched(self):
        visits = self.first_visit | self._visit(self.salesman_2) | self._visit(self.service_user)
        visits.invalidate_recordset()
        with self.assertQueryCount(4):
            visits.mapped("recent_visitor_ids")

    def test_visits_of_other_companies_are_hidden(self):
        company_b = self.env["res.company"].create({"name": "分公司 B"})
        self.env["crm.visit"].create(
            {
                "name": "B 公司拜访",
                "partner_id": self.customer.id,
                "company_id": company_b.id,
                "user_id": self.salesman_2.id,
                "date": self.now,
            }
        )
        visible = (
            self.env["crm.visit"]
            .with_user(self.salesman)
            .search([("commercial_partner_id", "=", self.customer.id)])
        )
        self.assertEqual(visible, self.first_visit)
