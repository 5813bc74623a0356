from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CrmServiceBridgeCommon


@tagged("post_install", "-at_install")
class TestServiceBridgeUi(HttpCase, CrmServiceBridgeCommon):
    def test_visit_overlap_tour(self):
        self.env["crm.visit"].with_user(self.salesman).create(
            {
                "name": "首次拜访：了解扩产计划",
                "partner_id": self.customer.id,
                "date": fields.Datetime.now() - timedelta(days=3),
            }
        )
        self.salesman_2.tour_enabled = False
        self.start_tour("/odoo", "crm_service_bridge_visit_tour", login="sb_salesman_2")
        visit = self.env["crm.visit"].search([("name", "=", "拜访二号厂区")])
        self.assertEqual(visit.user_id, self.salesman_2)
        self.assertEqual(visit.recent_visitor_ids, self.salesman)
