from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import VAT_ALPHA, VAT_BETA, CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestRegistrationAccess(CrmDistributorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration_a = cls._create_registration(
            cls.distributor_a, partner_name="甲方客户", vat=VAT_ALPHA
        )
        cls.registration_b = cls._create_registration(
            cls.distributor_b, partner_name="乙方客户", vat=VAT_BETA
        )
        (cls.registration_a | cls.registration_b).action_submit()
        (cls.registration_a | cls.registration_b).action_approve()
        cls.sell_out_b = cls.env["crm.sell.out"].create(
            {
                "distributor_id": cls.distributor_b.id,
                "partner_id": cls.registration_b.partner_id.id,
                "product_id": cls.product.id,
                "quantity": 2,
                "serial_numbers": "SN-B-1",
            }
        )

    def test_portal_sees_only_own_registrations(self):
        Registration = self.env["crm.deal.registration"].with_user(self.portal_a)
        found = Registration.search([])
        self.assertIn(self.registration_a, found)
        self.assertNotIn(self.registration_b, found)
        self.assertFalse(Registration.search([("partner_name", "=", "乙方客户")]))
        self.assertFalse(
            self.env["crm.deal.registration.line"]
            .with_user(self.portal_a)
            .search([("registration_id", "=", self.registration_b.id)])
        )
        self.assertFalse(self.env["crm.sell.out"].with_user(self.portal_a).search([]))

    def test_portal_cannot_read_or_write_other_distributor(self):
        other = self.registration_b.with_user(self.portal_a)
        with self.assertRaises(AccessError):
            other.read(["partner_name"])
        with self.assertRaises(AccessError):
            other.write({"partner_name": "hijacked"})
        with self.assertRaises(AccessError):
            self.sell_out_b.with_user(self.portal_a).read(["serial_numbers"])
        with self.assertRaises(AccessError):
            self.env["crm.deal.registration.match"].with_user(self.portal_a).search([])
        self.assertEqual(self.registration_b.partner_name, "乙方客户")

    def test_portal_rpc_writes_go_through_the_controllers_only(self):
        own = self.registration_a.with_user(self.portal_a)
        own.read(["partner_name", "state"])
        with self.assertRaises(AccessError):
            own.write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["crm.deal.registration"].with_user(self.portal_a).create(
                {"distributor_id": self.distributor_b.id, "partner_name": "forged"}
            )
        with self.assertRaises(AccessError):
            own.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.distributor.tier"].with_user(self.portal_a).search([])

    def test_channel_manager_sees_own_distributors(self):
        Registration = self.env["crm.deal.registration"].with_user(self.user_channel)
        found = Registration.search([("id", "in", (self.registration_a | self.registration_b).ids)])
        self.assertEqual(found, self.registration_a)
        with self.assertRaises(AccessError):
            self.registration_b.with_user(self.user_channel).read(["partner_name"])
        sell_outs = self.env["crm.sell.out"].with_user(self.user_channel_other).search([])
        self.assertIn(self.sell_out_b, sell_outs)

    def test_salesman_sees_what_he_follows(self):
        Registration = self.env["crm.deal.registration"].with_user(self.user_sales)
        self.assertFalse(Registration.search([("id", "=", self.registration_a.id)]))
        self.registration_a.message_subscribe(partner_ids=self.user_sales.partner_id.ids)
        self.assertEqual(
            Registration.search([("id", "in", (self.registration_a | self.registration_b).ids)]),
            self.registration_a,
        )

    def test_finance_reads_everything_and_writes_nothing(self):
        Registration = self.env["crm.deal.registration"].with_user(self.user_finance)
        both = self.registration_a | self.registration_b
        self.assertEqual(Registration.search([("id", "in", both.ids)]), both)
        self.assertTrue(self.sell_out_b.with_user(self.user_finance).read(["quantity"]))
        with self.assertRaises(AccessError):
            self.registration_a.with_user(self.user_finance).write({"partner_name": "x"})
        with self.assertRaises(AccessError):
            self.sell_out_b.with_user(self.user_finance).write({"quantity": 3})

    def test_other_company_registrations_and_lines_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Test Channel Company B"})
        distributor = self.env["res.partner"].create(
            {
                "name": "Company B Distributor",
                "is_distributor": True,
                "company_id": other_company.id,
            }
        )
        registration = (
            self.env["crm.deal.registration"]
            .with_company(other_company)
            .create(
                {
                    "distributor_id": distributor.id,
                    "company_id": other_company.id,
                    "partner_name": "乙公司客户",
                    "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})],
                }
            )
        )
        self.assertEqual(registration.line_ids.company_id, other_company)
        # The finance reader reads every registration and line of its company
        # only: the record rules, not the menus, keep company B's away.
        self.assertFalse(
            self.env["crm.deal.registration"]
            .with_user(self.user_finance)
            .search([("id", "=", registration.id)])
        )
        Line = self.env["crm.deal.registration.line"].with_user(self.user_finance)
        self.assertFalse(Line.search([("id", "in", registration.line_ids.ids)]))
        self.assertTrue(Line.search([("id", "in", self.registration_a.line_ids.ids)]))
        with self.assertRaises(AccessError):
            registration.line_ids.with_user(self.user_finance).read(["quantity"])


@tagged("post_install", "-at_install")
class TestMatchEngineRpcAccess(HttpCase, CrmDistributorCommon):
    """find_matches over JSON-RPC returns only what the caller may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration_b = cls._create_registration(
            cls.distributor_b, partner_name="乙方匹配客户有限公司", vat=VAT_BETA
        )
        cls.registration_b.action_submit()
        cls.registration_b.action_approve()

    def _find_matches(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.match.engine/find_matches",
            {
                "model": "crm.match.engine",
                "method": "find_matches",
                "args": [{"name": "乙方匹配客户有限公司", "vat": VAT_BETA}],
                "kwargs": {"limit": 10},
            },
        )

    def test_find_matches_returns_only_readable_records(self):
        found_b = {
            (match["model"], match["res_id"])
            for match in self._find_matches("test_channel_manager_other")
        }
        self.assertIn(("crm.deal.registration", self.registration_b.id), found_b)
        self.assertIn(("res.partner", self.registration_b.partner_id.id), found_b)
        for login, user in (
            ("test_channel_manager", self.user_channel),
            ("test_salesman", self.user_sales),
        ):
            matches = self._find_matches(login)
            found = {(match["model"], match["res_id"]) for match in matches}
            self.assertNotIn(("crm.deal.registration", self.registration_b.id), found, login)
            for model, res_id in found:
                self.assertTrue(
                    self.env[model].with_user(user).search([("id", "=", res_id)]),
                    f"{login} got {model} {res_id} it may not read",
                )
        # portal users may not call the engine at all (crm_match checks the group)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._find_matches("test_portal_a")
