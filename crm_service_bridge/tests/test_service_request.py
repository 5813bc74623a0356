from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestServiceRequest(CrmServiceChannelCommon):
    """Delivery → distributor → sell-out → end customer → request → repair."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.units = cls._make_units(cls.robot, ["TR6-R-0001", "TR6-R-0002"])
        cls.order, __ = cls._deliver(cls.distributor, cls.robot, cls.units)
        cls.sell_out = cls.env["crm.sell.out"].create(
            {
                "distributor_id": cls.distributor.id,
                "partner_id": cls.end_customer.id,
                "product_id": cls.robot.id,
                "quantity": 1,
                "serial_numbers": "TR6-R-0001",
                "date": cls.today,
            }
        )
        cls.unit = cls.units[0]

    @users("sv_service")
    def test_request_fills_itself_and_repair_decides_warranty(self):
        with Form(self.env["crm.service.request"]) as form:
            form.lot_id = self.unit
            form.description = "示教器无法开机"
        request = form.record
        self.assertTrue(request.name.startswith("SR/"))
        self.assertEqual(request.partner_id, self.end_customer)
        self.assertEqual(request.product_id, self.robot)
        self.assertEqual(request.distributor_id, self.distributor)
        self.assertEqual(request.sale_order_id, self.order)
        self.assertEqual(request.delivery_date, self.today)
        self.assertEqual(request.sell_out_date, self.today)
        self.assertTrue(request.under_warranty)
        self.assertEqual(request.warranty_reason, "running")
        action = request.action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.lot_id, self.unit)
        self.assertEqual(repair.partner_id, self.end_customer)
        self.assertTrue(repair.under_warranty, "decided from the unit, not ticked")
        self.assertEqual(request.state, "in_progress")
        self.assertEqual(request.repair_count, 1)

    @users("sv_service")
    def test_from_customer_or_order(self):
        request = self.env["crm.service.request"].create({"partner_id": self.end_customer.id})
        self.assertEqual(request.lot_id, self.unit, "the customer's only unit")
        by_order = self.env["crm.service.request"].create({"sale_order_id": self.order.id})
        self.assertFalse(by_order.lot_id, "two units on the order: the desk picks one")

    @users("sv_service")
    def test_expired_and_not_started(self):
        self.unit.sudo().warranty_end = self.today - relativedelta(days=1)
        request = self.env["crm.service.request"].create({"lot_id": self.unit.id})
        self.assertFalse(request.under_warranty)
        self.assertEqual(request.warranty_reason, "expired")
        repair = self.env["repair.order"].browse(request.action_create_repair()["res_id"])
        self.assertFalse(repair.under_warranty)
        at_distributor = self.env["crm.service.request"].create({"lot_id": self.units[1].id})
        self.assertEqual(at_distributor.warranty_reason, "not_started")
        with self.assertRaises(UserError):
            self.env["crm.service.request"].create({}).action_create_repair()

    @users("sv_service")
    def test_onsite_job_becomes_visit(self):
        request = self.env["crm.service.request"].create(
            {"lot_id": self.unit.id, "request_type": "onsite", "description": "现场调试"}
        )
        request.action_plan_visit()
        self.assertEqual(request.visit_id.partner_id, self.end_customer)
        self.assertEqual(request.visit_id.visit_type, "service")
        self.assertEqual(request.visit_id.service_request_id, request)

    def test_salesman_cannot_open_requests(self):
        with self.assertRaises(AccessError):
            self.env["crm.service.request"].with_user(self.salesman).create(
                {"lot_id": self.unit.id}
            )

    def test_warranty_extension_proposed(self):
        self.unit.warranty_end = self.today + relativedelta(months=1)
        self.env["stock.lot"]._cron_propose_warranty_extension()
        lead = self.unit.warranty_proposal_lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.partner_id, self.end_customer)
        self.assertEqual(lead.user_id, self.salesman, "the customer's salesperson")
        self.assertIn("TR6-R-0001", lead.description)
        self.env["stock.lot"]._cron_propose_warranty_extension()
        self.assertEqual(
            self.env["crm.lead"].search_count([("partner_id", "=", self.end_customer.id)]),
            1,
            "proposed once",
        )
