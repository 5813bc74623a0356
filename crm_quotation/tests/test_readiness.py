from datetime import timedelta

from odoo import fields
from odoo.tests import tagged, users

from ..models.crm_lead import READINESS_PANEL_FIELDS
from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestReadiness(CrmQuotationCommon):
    def test_credit_figures(self):
        # receivable: an open invoice of 1,000 overdue by 10 days; a refund is left out
        self._post_invoice(self.customer, 1000.0, days_ago=10)
        self._post_invoice(self.customer, 300.0, move_type="out_refund")
        # confirmed, not invoiced: 2 x 100; a cancelled order and a quotation do not count
        self._create_order(lines=[(self.product_a, 2)]).action_confirm()
        cancelled = self._create_order(lines=[(self.product_a, 7)])
        cancelled.action_confirm()
        cancelled._action_cancel()
        self._create_order(lines=[(self.product_a, 9)])
        lead = self._create_opportunity(expected_revenue=9000.0)
        self.assertEqual(lead.readiness_partner_id, self.customer)
        self.assertEqual(lead.credit_limit_amount, 10000.0)
        self.assertEqual(lead.credit_receivable, 1000.0)
        self.assertEqual(lead.credit_uninvoiced, 200.0)
        self.assertEqual(lead.credit_used, 1200.0)
        self.assertEqual(lead.credit_available, 8800.0)
        self.assertEqual(lead.credit_overdue_amount, 1000.0)
        self.assertEqual(lead.credit_overdue_days, 10)
        self.assertEqual(lead.credit_after_deal, -200.0)
        self.assertEqual(lead.credit_level, "danger")
        self.assertIn("over the limit by", lead.credit_message)
        self.assertIn("before confirming", lead.credit_message)

    def test_draft_invoice_still_uses_credit(self):
        order = self._create_order(lines=[(self.product_a, 2)])
        order.action_confirm()
        order.order_line.qty_delivered = 2
        invoice = order._create_invoices()
        self.assertEqual(invoice.state, "draft")
        lead = self._create_opportunity()
        # invoiced on the order, not yet a receivable: still used, as uninvoiced
        self.assertEqual(lead.credit_receivable, 0.0)
        self.assertEqual(lead.credit_uninvoiced, 200.0)
        self.assertEqual(lead.credit_used, 200.0)
        invoice.action_post()
        lead.invalidate_recordset()
        self.assertEqual(lead.credit_receivable, 200.0)
        self.assertEqual(lead.credit_uninvoiced, 0.0)
        self.assertEqual(lead.credit_used, 200.0)

    def test_customer_without_limit(self):
        partner = self.env["res.partner"].create({"name": "新客户 (New Customer)"})
        lead = self._create_opportunity(partner=partner)
        self.assertIn("No credit limit is set", lead.credit_message)
        self.assertEqual(lead.credit_level, "warning")

    def test_distributor_deal_uses_the_distributor_credit(self):
        lead = self._create_opportunity(distributor_id=self.distributor.id, expected_revenue=100)
        self.assertEqual(lead.readiness_partner_id, self.distributor)
        self.assertEqual(lead.credit_available, 50000.0)
        # the message says whose credit it is: the distributor's, named
        self.assertIn("distributor", lead.credit_message)
        self.assertIn(self.distributor.name, lead.credit_message)
        self.assertNotIn(self.customer.name, lead.credit_message)

    def test_deal_amount_is_the_lines_then_not_counted_twice(self):
        # 80 x 100 of lines; "revenue from products" is not ticked: expected revenue 0
        lead = self._create_opportunity(lines=[(self.product_a, 80)])
        self.assertFalse(lead.revenue_from_lines)
        self.assertEqual(lead.expected_revenue, 0.0)
        self.assertEqual(lead.credit_after_deal, 2000.0)
        self.assertEqual(lead.credit_level, "ok")
        # 120 x 100: over the 10,000 limit: the alert turns red
        lead.line_ids.product_uom_qty = 120
        self.assertEqual(lead.credit_after_deal, -2000.0)
        self.assertEqual(lead.credit_level, "danger")
        self.assertIn("before confirming", lead.credit_message)
        # confirmed (warn policy): the order is in the credit used, not counted again
        self.company.credit_control_policy = "warn"
        order = self.env["sale.order"].browse(lead.action_new_quotation()["res_id"])
        order.action_confirm()
        lead.invalidate_recordset()
        self.assertEqual(lead.credit_used, 12000.0)
        self.assertEqual(lead.credit_available, -2000.0)
        self.assertEqual(lead.credit_after_deal, -2000.0, "not -14,000")
        self.assertEqual(lead.credit_level, "danger")
        self.assertNotIn("before confirming", lead.credit_message)
        self.assertIn("confirmed orders are counted", lead.credit_message)

    def test_overdue_invoice_turns_the_alert_to_warning(self):
        self._post_invoice(self.customer, 100.0, days_ago=45)
        lead = self._create_opportunity(lines=[(self.product_a, 1)])
        self.assertEqual(lead.credit_level, "warning")
        self.assertIn("overdue", lead.credit_message)

    def test_stock_line_does_not_count_its_own_reservation(self):
        lead = self._create_opportunity(lines=[(self.product_a, 8)])
        order = self.env["sale.order"].browse(lead.action_new_quotation()["res_id"])
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_ids.quantity, 8.0, "8 reserved by its order")
        lead.line_ids.invalidate_recordset()
        line = lead.line_ids
        self.assertEqual(line.qty_on_hand, 20.0)
        self.assertEqual(line.qty_reserved, 0.0, "its own reservation is not held against it")
        self.assertEqual(line.qty_free, 20.0)
        self.assertEqual(line.qty_forecast, 20.0)
        self.assertFalse(line.stock_warning)
        # another opportunity sees the 8 reserved
        other = self._create_opportunity(lines=[(self.product_a, 1)])
        self.assertEqual(other.line_ids.qty_reserved, 8.0)
        self.assertEqual(other.line_ids.qty_forecast, 12.0)

    @users("cq_salesman")
    def test_stock_per_line_and_warehouse(self):
        lead = self._create_opportunity(
            lines=[(self.product_a, 8), (self.product_b, 7)],
            date_deadline=fields.Date.today() + timedelta(days=10),
        ).with_env(self.env)
        # 3 of product A are reserved by a confirmed order
        self._create_order(lines=[(self.product_a, 3)]).sudo().action_confirm()
        lead.invalidate_recordset()
        line_a, line_b = lead.line_ids.sorted(lambda line: line.product_id != self.product_a)
        self.assertEqual(line_a.qty_on_hand, 20.0)
        self.assertEqual(line_a.qty_reserved, 3.0)
        self.assertEqual(line_a.qty_free, 17.0)
        self.assertEqual(line_a.qty_forecast, 17.0)
        self.assertFalse(line_a.stock_warning)
        self.assertEqual(line_b.qty_forecast, 5.0)
        self.assertIn("Cannot be served", line_b.stock_warning)
        self.assertIn(self.warehouse.name, lead.readiness_stock_html)
        self.assertIn("Cannot be served", lead.readiness_stock_html)

    def test_stock_forecast_at_each_closing_date(self):
        soon = self._create_opportunity(
            lines=[(self.product_a, 1)], date_deadline=fields.Date.today() + timedelta(days=5)
        )
        later = self._create_opportunity(
            lines=[(self.product_a, 1)], date_deadline=fields.Date.today() + timedelta(days=60)
        )
        # 3 of product A leave in 30 days
        self._create_order(
            lines=[(self.product_a, 3)],
            commitment_date=fields.Datetime.now() + timedelta(days=30),
        ).action_confirm()
        lines = (soon | later).line_ids
        lines.invalidate_recordset()
        # computed together, each opportunity keeps its own closing date
        self.assertEqual(lines.mapped("qty_forecast"), [20.0, 17.0])

    def test_shipping_of_orders_without_delivery(self):
        service = self.env["product.product"].create(
            {"name": "安装服务 (Installation)", "type": "service", "list_price": 10.0}
        )
        lead = self._create_opportunity()
        self.assertIn("nothing is confirmed", lead.readiness_shipping_html)
        self._create_order(lines=[(service, 1)], opportunity_id=lead.id).action_confirm()
        lead.invalidate_recordset()
        self.assertIn("nothing to deliver", lead.readiness_shipping_html)

    def test_stock_is_split_per_warehouse(self):
        warehouse_b = self.env["stock.warehouse"].create(
            {"name": "成都仓 (Chengdu Warehouse)", "code": "CDW"}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product_b, warehouse_b.lot_stock_id, 4.0
        )
        lead = self._create_opportunity(lines=[(self.product_b, 7)])
        line = lead.line_ids
        per_warehouse = {row["warehouse"]: row for row in line.stock_warehouse_data}
        self.assertEqual(per_warehouse[warehouse_b.display_name]["on_hand"], 4.0)
        self.assertEqual(per_warehouse[self.warehouse.display_name]["on_hand"], 5.0)
        self.assertEqual(line.qty_on_hand, 9.0)
        self.assertFalse(line.stock_warning, "9 in two warehouses serve 7")
        self.assertIn("Chengdu Warehouse", lead.readiness_stock_html)

    def test_shipping_and_history(self):
        lead = self._create_opportunity(lines=[(self.product_a, 2)])
        order = self._create_order(lines=[(self.product_a, 2)], opportunity_id=lead.id)
        order.action_confirm()
        lead.invalidate_recordset()
        self.assertIn(order.picking_ids.name, lead.readiness_shipping_html)
        self.assertIn(order.name, lead.readiness_history_html)
        self.assertIn(self.product_a.name, lead.readiness_history_html)
        self.assertEqual(lead.revenue_last_12_months, 200.0)
        self.assertEqual(lead.revenue_previous_12_months, 0.0)

    def test_constant_queries_at_10_and_10000_orders(self):
        small = self.env["res.partner"].create(
            {"name": "小客户 (Small Customer)", "credit_limit": 1e6}
        )
        big = self.env["res.partner"].create({"name": "大客户 (Big Customer)", "credit_limit": 1e6})
        self._bulk_create_orders(small, 10)
        self._bulk_create_orders(big, 10000)
        products = [self.product_a, self.product_b] * 25
        lead_small = self._create_opportunity(partner=small, lines=[(p, 1) for p in products])
        lead_big = self._create_opportunity(partner=big, lines=[(p, 1) for p in products])

        def open_panel(lead):
            lead.read(READINESS_PANEL_FIELDS)
            lead.line_ids.read(["qty_on_hand", "qty_free", "qty_forecast", "stock_warning"])

        def count(lead):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            open_panel(lead)
            return self.env.cr.sql_log_count - start

        open_panel(lead_small)  # warm the template cache, like any second request
        self.assertEqual(count(lead_small), count(lead_big))
        self.env.flush_all()
        self.env.invalidate_all()
        # An upper bound (fewer queries only log): 32 with crm_quotation alone,
        # 34 with the whole suite installed, whose addons add stored fields.
        with self.assertQueryCount(34):
            open_panel(lead_small)
        self.env.invalidate_all()
        with self.assertQueryCount(34):
            open_panel(lead_big)
        self.assertEqual(lead_big.credit_uninvoiced, 100000.0)
        self.assertEqual(lead_small.credit_uninvoiced, 100.0)
        self.assertGreater(lead_big.revenue_last_12_months, 0.0)
        self.assertEqual(len(lead_big.line_ids), 50)
