import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CrmServiceChannelCommon


@tagged("post_install", "-at_install")
class TestServicePortal(HttpCase, CrmServiceChannelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls._make_units(cls.robot, ["TR6-P-0001", "TR6-P-0002"])
        cls._deliver(cls.distributor, cls.robot, cls.units)
        cls.other_units = cls._make_units(cls.robot, ["TR6-P-0009"])
        cls._deliver(cls.distributor_other, cls.robot, cls.other_units)
        cls.env["crm.sell.out"].create(
            {
                "distributor_id": cls.distributor.id,
                "partner_id": cls.end_customer.id,
                "product_id": cls.robot.id,
                "quantity": 1,
                "serial_numbers": "TR6-P-0001",
                "date": fields.Date.today(),
            }
        )
        cls.sold = cls.units[0]
        cls.in_stock = cls.units[1]

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _request_service(self, unit, text="设备异响"):
        return self.url_open(
            f"/my/units/{unit.id}/request",
            data={"description": text, "request_type": "onsite", "csrf_token": self.csrf_token()},
            allow_redirects=False,
        )

    def csrf_token(self):
        """The session's token, as the page's layout gives it to its forms."""
        text = self.url_open("/my").text
        found = re.search(r"""csrf_token["']?\s*[:=]\s*["']([0-9a-fA-Fo]+)["']""", text)
        return found.group(1) if found else ""

    def test_end_customer_sees_its_units_and_requests_service(self):
        self._login(self.end_customer_user)
        page = self._get("/my/units")
        self.assertEqual(page.status_code, 200)
        self.assertIn("TR6-P-0001", page.text)
        self.assertNotIn("TR6-P-0002", page.text, "still at the distributor")
        self.assertNotIn("TR6-P-0009", page.text)
        unit_page = self._get(f"/my/units/{self.sold.id}")
        self.assertEqual(unit_page.status_code, 200)
        self.assertIn("o_service_unit_warranty", unit_page.text)
        for foreign in (self.in_stock, self.other_units):
            self.assertEqual(self._get(f"/my/units/{foreign.id}").status_code, 303)
        response = self._request_service(self.sold)
        self.assertEqual(response.status_code, 303)
        request = self.env["crm.service.request"].search([("lot_id", "=", self.sold.id)])
        self.assertEqual(request.partner_id, self.end_customer)
        self.assertTrue(request.under_warranty)
        self.assertEqual(request.opened_by_partner_id, self.end_customer_user.partner_id)
        self.assertEqual(self._get(f"/my/service-requests/{request.id}").status_code, 200)
        # nothing written on a foreign unit, and an empty description is refused
        self.assertEqual(self._request_service(self.other_units).status_code, 303)
        self._request_service(self.sold, text="  ")
        self.assertEqual(
            self.env["crm.service.request"].search_count(
                [("lot_id", "in", (self.units | self.other_units).ids)]
            ),
            1,
        )

    def test_distributor_sees_its_units_and_customers_requests(self):
        request = self.env["crm.service.request"].create(
            {"lot_id": self.sold.id, "description": "客户来电"}
        )
        self._login(self.distributor_user)
        page = self._get("/my/units")
        self.assertIn("TR6-P-0001", page.text)
        self.assertIn("TR6-P-0002", page.text)
        self.assertNotIn("TR6-P-0009", page.text, "another distributor's unit")
        self.assertEqual(self._get(f"/my/units/{self.other_units.id}").status_code, 303)
        self.assertIn(request.name, self._get("/my/service-requests").text)
        self.env["crm.sell.out"].create(
            {
                "distributor_id": self.distributor.id,
                "partner_id": self.end_customer.id,
                "product_id": self.robot.id,
                "quantity": 1,
                "serial_numbers": "TR6-P-0009",
                "date": fields.Date.today(),
            }
        )
        serials = self._get("/my/sell-out-serials").text
        self.assertIn("TR6-P-0009", serials)
        self.assertIn("Not delivered to this distributor", serials, "its outcome")
        # opens one for its end customer
        self.assertEqual(self._request_service(self.sold, "分销商代客户报修").status_code, 303)
        opened = self.env["crm.service.request"].search(
            [("opened_by_partner_id", "=", self.distributor_user.partner_id.id)]
        )
        self.assertEqual(opened.partner_id, self.end_customer)

    def test_other_distributor_sees_nothing_of_it(self):
        request = self.env["crm.service.request"].create({"lot_id": self.sold.id})
        self._login(self.distributor_other_user)
        page = self._get("/my/units")
        self.assertIn("TR6-P-0009", page.text)
        self.assertNotIn("TR6-P-0001", page.text)
        self.assertNotIn(request.name, self._get("/my/service-requests").text)
        self.assertNotIn("TR6-P-0001", self._get("/my/sell-out-serials").text)
        self.assertEqual(self._get(f"/my/service-requests/{request.id}").status_code, 303)
        self.assertEqual(self._get(f"/my/units/{self.sold.id}").status_code, 303)
        # and through the ORM (RPC, any other path): the record rules
        Lot = self.env["stock.lot"].with_user(self.distributor_other_user)
        self.assertEqual(Lot.search([("name", "like", "TR6-P")]), self.other_units)
        Request = self.env["crm.service.request"].with_user(self.distributor_other_user)
        self.assertFalse(Request.search([]))
        end_customer_units = self.env["stock.lot"].with_user(self.end_customer_user).search([])
        self.assertEqual(end_customer_units, self.sold)
