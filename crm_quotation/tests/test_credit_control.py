from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestCreditControl(CrmQuotationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_control_policy = "block"

    @users("cq_salesman")
    def test_block_over_limit_through_rpc(self):
        order = self._create_order(lines=[(self.product_a, 120)]).with_env(self.env)
        with self.assertRaisesRegex(UserError, "credit manager") as error:
            order.action_confirm()
        message = str(error.exception)
        self.assertIn("over the limit by", message)
        self.assertEqual(order.state, "draft")
        # within the limit: confirmed
        small = self._create_order(lines=[(self.product_a, 50)]).with_env(self.env)
        small.action_confirm()
        self.assertEqual(small.state, "sale")
        # the confirmed order now uses credit: 6,000 more is over the limit
        other = self._create_order(lines=[(self.product_a, 60)]).with_env(self.env)
        with self.assertRaises(UserError):
            other.action_confirm()

    def test_message_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_quotation"], ["zh_CN"])
        order = self._create_order(lines=[(self.product_a, 120)])
        with self.assertRaisesRegex(UserError, "信用"):
            order.with_context(lang="zh_CN").action_confirm()

    def test_rpc_without_context_uses_the_user_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_quotation"], ["zh_CN"])
        self.user_salesman.lang = "zh_CN"
        order = self._create_order(lines=[(self.product_a, 120)])
        # an external RPC call carries no context: the user's language applies
        order = order.with_env(self.env(user=self.user_salesman, context={}))
        with self.assertRaisesRegex(UserError, "信用"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    @users("cq_salesman")
    def test_salesman_cannot_approve_himself(self):
        order = self._create_order(lines=[(self.product_a, 120)]).with_env(self.env)
        with self.assertRaises(AccessError):
            order.write({"credit_approval_amount": 1e9, "credit_approval_reason": "me"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "credit_approval_amount": 1e9,
                    "credit_approval_currency_id": self.currency.id,
                }
            )

    def test_manager_approval_covers_that_order_and_amount_only(self):
        order = self._create_order(lines=[(self.product_a, 120)]).with_user(self.user_salesman)
        with self.assertRaises(UserError):
            order.action_confirm()
        # the credit manager approves with a reason, through the wizard
        action = order.with_user(self.user_credit_manager).action_open_credit_approval()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_credit_manager)
            .with_context(**action["context"])
        )
        self.assertIn("Credit limit", wizard_form.credit_warning)
        wizard_form.reason = "预付款 30% 已到账 (30% prepayment received)"
        wizard_form.save().action_approve()
        self.assertEqual(order.credit_approval_user_id, self.user_credit_manager)
        self.assertEqual(order.credit_approval_amount, 12000.0)
        self.assertTrue(order.credit_approval_date)
        self.assertIn("prepayment received", order.message_ids[0].body)
        self.assertIn(self.user_credit_manager.name, order.message_ids[0].body)
        # a duplicated quotation is not approved
        duplicate = order.copy().with_user(self.user_salesman)
        self.assertFalse(duplicate.credit_approval_user_id)
        with self.assertRaises(UserError):
            duplicate.action_confirm()
        # a higher amount is not approved
        order.order_line.product_uom_qty = 121
        with self.assertRaisesRegex(UserError, "does not cover"):
            order.action_confirm()
        # back at the approved amount: confirmed, and the approval is logged again
        order.order_line.product_uom_qty = 120
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("with the approval of", order.message_ids[0].body)

    def test_approval_is_withdrawn_when_the_customer_changes(self):
        order = self._create_order(lines=[(self.product_a, 120)])
        order.with_user(self.user_credit_manager)._approve_credit("银行保函 (bank guarantee)")
        order = order.with_user(self.user_salesman)
        # another contact of the same customer: still approved
        order.partner_id = self.customer_contact
        self.assertEqual(order.credit_approval_user_id, self.user_credit_manager)
        # another customer: the approval was not given for it
        other = self.env["res.partner"].create(
            {"name": "无锡新客户 (Wuxi New Customer)", "is_company": True, "credit_limit": 100.0}
        )
        order.partner_id = other
        self.assertFalse(order.credit_approval_user_id)
        self.assertFalse(order.credit_approval_amount)
        self.assertIn("withdrawn", order.message_ids[0].body)
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_approval_in_another_currency_does_not_cover(self):
        other = (
            self.env.ref("base.EUR")
            if self.currency != self.env.ref("base.EUR")
            else (self.env.ref("base.USD"))
        )
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 0.5, "name": fields.Date.today() - timedelta(1)}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": other.id}
        )
        order = self._create_order(lines=[(self.product_a, 120)], pricelist_id=pricelist.id)
        # 6,000 in the other currency at 0.5 is 12,000 in company currency: over 10,000
        self.assertAlmostEqual(order._get_credit_amount(), order.amount_total * 2, 2)
        with self.assertRaises(UserError):
            order.action_confirm()
        order.with_user(self.user_credit_manager)._approve_credit("Bank guarantee")
        order.write({"pricelist_id": self.pricelist.id})
        order.action_update_prices()
        with self.assertRaisesRegex(UserError, "does not cover"):
            order.action_confirm()

    def test_warn_policy_confirms_with_a_note(self):
        self.company.credit_control_policy = "warn"
        order = self._create_order(lines=[(self.product_a, 120)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            any("over the limit by" in body for body in order.message_ids.mapped("body"))
        )

    def test_off_policy_confirms(self):
        self.company.credit_control_policy = "off"
        order = self._create_order(lines=[(self.product_a, 500)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_customer_without_limit_is_blocked_with_a_clear_message(self):
        partner = self.env["res.partner"].create({"name": "无额度客户 (No Limit Ltd)"})
        order = self._create_order(partner=partner, lines=[(self.product_a, 1)])
        with self.assertRaisesRegex(UserError, "No credit limit is set"):
            order.action_confirm()

    def test_overdue_invoices_block(self):
        self._post_invoice(self.customer, 100.0, days_ago=45)
        order = self._create_order(lines=[(self.product_a, 1)])
        with self.assertRaisesRegex(UserError, "overdue for up to 45 days"):
            order.action_confirm()
        self.company.credit_overdue_days = 60
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_contact_order_counts_for_the_company(self):
        self._create_order(
            partner=self.customer_contact, lines=[(self.product_a, 60)]
        ).action_confirm()
        order = self._create_order(lines=[(self.product_a, 60)])
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_automated_confirmation_is_blocked_too(self):
        order = self._create_order(lines=[(self.product_a, 120)])
        with self.assertRaises(UserError):
            order.sudo().action_confirm()
        self.assertEqual(order.state, "draft")

    def test_multi_company_credit_is_per_company(self):
        company_b = self.env["res.company"].create(
            {"name": "成都分公司 (Chengdu Branch)", "currency_id": self.currency.id}
        )
        self.env.user.company_ids |= company_b
        self.customer.with_company(company_b).credit_limit = 500.0
        # company A: an order using 6,000 of credit
        self._create_order(lines=[(self.product_a, 60)]).action_confirm()
        company_b.credit_control_policy = "block"
        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "product_uom_qty": 4})
                    ],
                }
            )
        )
        positions = self.customer._get_credit_positions(company_b)
        self.assertEqual(
            positions[self.customer].uninvoiced, 0.0, "company A's order is not counted"
        )
        self.assertEqual(positions[self.customer].limit, 500.0)
        order_b.with_company(company_b).action_confirm()
        self.assertEqual(order_b.state, "sale")
        order_b2 = order_b.copy()
        with self.assertRaises(UserError):
            order_b2.with_company(company_b).action_confirm()
        # the policy is per company too
        company_b.credit_control_policy = "off"
        order_b2.with_company(company_b).action_confirm()
        self.assertEqual(order_b2.state, "sale")
