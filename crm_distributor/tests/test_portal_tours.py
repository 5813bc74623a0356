from odoo.tests import HttpCase, tagged

from .common import VAT_ALPHA, VAT_BETA, CrmDistributorCommon


class PortalTourCommon(HttpCase, CrmDistributorCommon):
    """The least-privileged distributor user (portal group only) in zh_CN,
    with one approved end customer; another distributor protects a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_zh_cn()
        cls.portal_a.lang = "zh_CN"
        cls.product_inverter, cls.product_battery = cls.env["product.product"].create(
            [
                {
                    "name": "光伏逆变器 5kW",
                    "default_code": "TOUR-INV",
                    "list_price": 5000.0,
                    "sale_ok": True,
                    "type": "consu",
                },
                {
                    "name": "储能电池 10kWh",
                    "default_code": "TOUR-BAT",
                    "list_price": 2000.0,
                    "sale_ok": True,
                    "type": "consu",
                },
            ]
        )
        own = cls._create_registration(
            cls.distributor_a, partner_name="蓝海精密机械有限公司", vat=VAT_ALPHA
        )
        own.action_submit()
        own.action_approve()
        cls.end_customer = own.partner_id
        held = cls._create_registration(
            cls.distributor_b, partner_name="东岳环保设备有限公司", vat=VAT_BETA
        )
        held.action_submit()
        held.action_approve()

    def _assert_registration(self, name, revenue, lines):
        registration = self.env["crm.deal.registration"].search([("partner_name", "=", name)])
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.distributor_id, self.distributor_a)
        self.assertEqual(registration.state, "submitted")
        self.assertEqual(registration.create_uid, self.portal_a)
        self.assertEqual(len(registration.line_ids), lines)
        self.assertAlmostEqual(registration.expected_revenue, revenue)
        return registration


@tagged("post_install", "-at_install")
class TestPortalTourDesktop(PortalTourCommon):
    def test_distributor_day_in_chinese(self):
        self.start_tour("/my", "crm_distributor_portal_zh_tour", login="test_portal_a")
        registration = self._assert_registration("青禾农业科技有限公司", 16000.0, 2)
        self.assertEqual(
            registration.line_ids.mapped("product_id"),
            self.product_inverter | self.product_battery,
        )
        sell_out = self.env["crm.sell.out"].search([("distributor_id", "=", self.distributor_a.id)])
        self.assertEqual(sell_out.partner_id, self.end_customer)
        self.assertEqual(sell_out.product_id, self.product_inverter)
        self.assertEqual(sell_out.quantity, 2)
        self.assertEqual(sell_out.serial_numbers, "SN-TOUR-1")
        self.assertEqual(sell_out.create_uid, self.portal_a)


@tagged("post_install", "-at_install")
class TestPortalTourMobile(PortalTourCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_distributor_day_on_a_phone(self):
        self.start_tour(
            "/my/registrations", "crm_distributor_portal_mobile_tour", login="test_portal_a"
        )
        self._assert_registration("白鹭智能家居有限公司", 7000.0, 2)
