from odoo.tests import HttpCase, tagged

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase, CrmQuotationCommon):
    """One tour per role, as the least-privileged user of the role, with the
    settings a real company uses: the "Sales Credit Limit" option on, a credit
    policy, two warehouses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"account_use_credit_limit": True, "credit_control_policy": "block"})
        cls.warehouse_b = cls.env["stock.warehouse"].create(
            {"name": "成都仓 (Chengdu Warehouse)", "code": "CDT"}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_a, cls.warehouse_b.lot_stock_id, 6.0
        )
        # 120 x 100 of lines against a 10,000 limit
        cls.lead = cls._create_opportunity(
            lines=[(cls.product_a, 120)], name="巡检商机 Role Tour Opportunity"
        )

    def test_salesperson_is_blocked_over_the_limit(self):
        self.assertFalse(self.user_salesman.has_group("account.group_account_invoice"))
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "crm_quotation_salesperson_credit_blocked",
            login="cq_salesman",
        )
        self.assertEqual(self.lead.order_ids.state, "draft")

    def test_credit_manager_approves_and_confirms(self):
        order = self.env["sale.order"].browse(self.lead.action_new_quotation()["res_id"])
        self.start_tour(
            f"/odoo/sales/{order.id}",
            "crm_quotation_credit_manager_approves",
            login="cq_credit_manager",
        )
        self.assertEqual(order.credit_approval_user_id, self.user_credit_manager)
        self.assertEqual(order.state, "sale")

    def test_finance_reader_reads_orders_and_invoices(self):
        self.company.credit_control_policy = "warn"
        order = self.env["sale.order"].browse(self.lead.action_new_quotation()["res_id"])
        order.action_confirm()
        order.order_line.qty_delivered = 120
        order._create_invoices().action_post()
        action = self.env.ref("crm_quotation.sale_order_action_finance")
        self.start_tour(
            f"/odoo/action-{action.id}",
            "crm_quotation_finance_reader_orders",
            login="cq_finance",
        )
        action = self.env.ref("crm_quotation.account_move_action_finance")
        self.start_tour(
            f"/odoo/action-{action.id}",
            "crm_quotation_finance_reader_invoices",
            login="cq_finance",
        )
