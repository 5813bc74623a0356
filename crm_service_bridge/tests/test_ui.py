from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CrmServiceBridgeCommon, CrmServiceChannelCommon


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


@tagged("post_install", "-at_install")
class TestServiceDeskUi(HttpCase, CrmServiceChannelCommon):
    def test_service_desk_tour_zh_cn(self):
        units = self._make_units(self.robot, ["TR6-U-0001"])
        self._deliver(self.distributor, self.robot, units)
        self.env["crm.sell.out"].create(
            {
                "distributor_id": self.distributor.id,
                "partner_id": self.end_customer.id,
                "product_id": self.robot.id,
                "quantity": 1,
                "serial_numbers": "TR6-U-0001",
                "date": fields.Date.today(),
            }
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.service_user.write({"lang": "zh_CN", "tour_enabled": False})
        self.start_tour("/odoo", "crm_service_bridge_service_desk_tour", login="sv_service")
        request = self.env["crm.service.request"].search([("lot_id", "=", units.id)])
        self.assertEqual(request.partner_id, self.end_customer)
        self.assertEqual(request.create_uid, self.service_user)
        self.assertTrue(request.repair_ids.under_warranty)
