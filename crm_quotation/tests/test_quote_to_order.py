from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestQuoteToOrder(CrmQuotationCommon):
    def _new_quotation(self, lead):
        """The quotation the "New Quotation" button opens, saved as the user would."""
        action = lead.action_sale_quotations_new()
        if action.get("res_id"):
            return self.env["sale.order"].browse(action["res_id"])
        form = Form(self.env["sale.order"].with_context(**action["context"]))
        return form.save()

    @users("cq_salesman")
    def test_new_quotation_is_filled_from_the_opportunity(self):
        lead = self._create_opportunity(
            lines=[(self.product_a, 3), (self.product_b, 2)],
            opportunity_type_id=self.type_project.id,
        ).with_env(self.env)
        lead.line_ids.filtered(lambda line: line.product_id == self.product_b).discount = 10
        order = self._new_quotation(lead)
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.partner_id, self.customer)
        self.assertFalse(order.end_customer_id)
        self.assertEqual(order.pricelist_id, self.pricelist)
        self.assertEqual(order.payment_term_id, self.payment_term)
        self.assertEqual(order.user_id, self.user_salesman)
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(
            [(line.product_id, line.product_uom_qty, line.discount) for line in order.order_line],
            [(self.product_a, 3.0, 0.0), (self.product_b, 2.0, 10.0)],
        )
        self.assertAlmostEqual(order.amount_untaxed, 3 * 100 + 2 * 50 * 0.9)

    @users("cq_salesman")
    def test_distributor_is_the_customer_of_the_order(self):
        lead = self._create_opportunity(
            lines=[(self.product_a, 1)], distributor_id=self.distributor.id
        ).with_env(self.env)
        self.assertEqual(lead.quotation_partner_id, self.distributor)
        order = self._new_quotation(lead)
        self.assertEqual(order.partner_id, self.distributor)
        self.assertEqual(order.end_customer_id, self.customer)

    def test_archived_product_cannot_be_quoted(self):
        lead = self._create_opportunity(lines=[(self.product_b, 1)])
        self.product_b.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            lead.action_new_quotation()

    def test_other_currency_without_pricelist_is_refused(self):
        usd = (
            self.env.ref("base.USD")
            if self.currency != self.env.ref("base.USD")
            else (self.env.ref("base.EUR"))
        )
        usd.active = True
        foreign = self.env["product.pricelist"].create({"name": "Export", "currency_id": usd.id})
        lead = self._create_opportunity(lines=[(self.product_a, 1)], pricelist_id=False)
        self.customer.property_product_pricelist = foreign
        lead.pricelist_id = False
        with self.assertRaisesRegex(UserError, "priced in"):
            lead.action_new_quotation()

    @users("cq_salesman")
    def test_confirm_wins_delivers_and_cancels_the_others(self):
        lead = self._create_opportunity(
            lines=[(self.product_a, 2)], opportunity_type_id=self.type_project.id
        ).with_env(self.env)
        first = self._new_quotation(lead)
        second = self._new_quotation(lead)
        second.order_line.product_uom_qty = 3
        second.action_confirm()
        self.assertEqual(second.state, "sale")
        self.assertEqual(len(second.picking_ids), 1)
        self.assertEqual(second.picking_ids.move_ids.product_uom_qty, 3)
        self.assertEqual(first.state, "cancel")
        self.assertEqual(lead.probability, 100)
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.stage_id.opportunity_type_ids, self.type_project)
        self.assertAlmostEqual(lead.expected_revenue, 300.0)
        self.assertEqual(lead.delivery_count, 1)
        action = lead.action_view_deliveries()
        self.assertEqual(action["res_id"], second.picking_ids.id)
        self.assertEqual(second.action_view_opportunity()["res_id"], lead.id)

    def test_order_in_another_currency_leaves_the_revenue(self):
        """As stock sale_crm: only orders in the opportunity's currency set its revenue."""
        foreign_currency = self.env["res.currency"].search(
            [("id", "!=", self.currency.id), ("active", "in", (True, False))], limit=1
        )
        foreign_currency.active = True
        foreign = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": foreign_currency.id}
        )
        lead = self._create_opportunity(expected_revenue=50.0)
        self.company.quotation_keep_others = True
        abroad = self._create_order(
            lines=[(self.product_a, 1)], opportunity_id=lead.id, pricelist_id=foreign.id
        )
        home = self._create_order(lines=[(self.product_a, 2)], opportunity_id=lead.id)
        abroad.action_confirm()
        self.assertEqual(lead.expected_revenue, 50.0, "another currency: left as it was")
        home.action_confirm()
        self.assertEqual(lead.expected_revenue, 200.0)

    def test_new_company_keeps_other_quotations_by_default(self):
        company = self.env["res.company"].create({"name": "默认设置公司 (Defaults Co)"})
        self.assertTrue(company.quotation_keep_others, "as stock Odoo, unless configured")

    def test_setting_keeps_other_quotations(self):
        self.company.quotation_keep_others = True
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        first = self._new_quotation(lead)
        second = self._new_quotation(lead)
        second.action_confirm()
        self.assertEqual(first.state, "draft")

    def test_invoice_smart_button(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        order = self._new_quotation(lead)
        order.action_confirm()
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        self.assertEqual(lead.invoice_count, 1)
        self.assertEqual(lead.action_view_invoices()["res_id"], invoice.id)

    @users("cq_salesman")
    def test_all_quotations_cancelled_proposes_lost(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)]).with_env(self.env)
        first = self._new_quotation(lead)
        second = self._new_quotation(lead)
        first.action_cancel()
        self.assertFalse(lead.lost_proposed)
        second.action_cancel()
        self.assertTrue(lead.lost_proposed)
        self.assertTrue(lead.lost_proposal_reason)
        self.assertTrue(lead.active, "only proposed, the salesperson decides")
        self.assertEqual(lead.activity_ids.user_id, self.user_salesman)
        action = lead.action_open_proposed_lost()
        self.assertEqual(action["res_model"], "crm.lead.lost")
        self.assertEqual(
            action["context"]["default_lost_reason_id"],
            self.env.ref("crm_quotation.lost_reason_quotations_closed").id,
        )
        wizard = self.env["crm.lead.lost"].with_context(**action["context"]).create({})
        wizard.action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(
            lead.lost_reason_id, self.env.ref("crm_quotation.lost_reason_quotations_closed")
        )

    @users("cq_salesman")
    def test_cancelled_order_of_a_won_opportunity_proposes_lost(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)]).with_env(self.env)
        order = self._new_quotation(lead)
        order.action_confirm()
        self.assertEqual(lead.probability, 100)
        self.assertFalse(lead.lost_proposed)
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        # still won: the salesperson decides (a new order may follow)
        self.assertEqual(lead.probability, 100)
        self.assertTrue(lead.lost_proposed)
        self.assertIn("confirmed order was cancelled", lead.lost_proposal_reason)
        self.assertEqual(lead.activity_ids.user_id, self.user_salesman)
        lead.action_dismiss_lost_proposal()
        self.assertFalse(lead.lost_proposed)
        self.assertEqual(lead.probability, 100)

    def test_cancelled_order_with_another_confirmed_one_keeps_the_win(self):
        self.company.quotation_keep_others = True
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        first = self._new_quotation(lead)
        second = self._new_quotation(lead)
        first.action_confirm()
        second.action_confirm()
        first.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(lead.lost_proposed)
        self.assertEqual(lead.probability, 100)

    def test_new_quotation_withdraws_the_proposal(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        self._new_quotation(lead).action_cancel()
        self.assertTrue(lead.lost_proposed)
        self._new_quotation(lead)
        self.assertFalse(lead.lost_proposed)

    def test_expired_quotations_propose_lost(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        order = self._new_quotation(lead)
        order.validity_date = fields.Date.today() + timedelta(days=5)
        self.env["sale.order"]._cron_propose_lost_expired_quotations()
        self.assertFalse(lead.lost_proposed)
        with freeze_time(fields.Date.today() + timedelta(days=6)):
            self.env["sale.order"]._cron_propose_lost_expired_quotations()
        self.assertTrue(lead.lost_proposed)
