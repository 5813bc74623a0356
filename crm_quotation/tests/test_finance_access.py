from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestFinanceAccess(CrmQuotationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._create_opportunity(lines=[(cls.product_a, 1)])
        cls.linked_order = cls._create_order(lines=[(cls.product_a, 1)], opportunity_id=cls.lead.id)
        cls.linked_order.action_confirm()
        cls.linked_order.order_line.qty_delivered = 1
        cls.linked_invoice = cls.linked_order._create_invoices()
        cls.other_order = cls._create_order(lines=[(cls.product_b, 1)])
        cls.other_order.action_confirm()

    def test_finance_reader_reads_linked_orders_and_invoices(self):
        env = self.env(user=self.user_finance)
        self.assertFalse(self.user_finance.has_group("sales_team.group_sale_salesman"))
        orders = env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(orders, self.linked_order)
        self.assertEqual(orders.amount_total, self.linked_order.amount_total)
        self.assertEqual(orders.order_line.product_id, self.product_a)
        invoices = env["account.move"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(invoices, self.linked_invoice)
        self.assertTrue(invoices.invoice_line_ids.read(["price_subtotal"]))
        self.assertEqual(env["crm.lead"].search([("id", "=", self.lead.id)]), self.lead)
        with self.assertRaises(AccessError):
            self.other_order.with_env(env).read(["amount_total"])

    def test_lead_lines_follow_the_opportunity_rules(self):
        other_lead = self._create_opportunity(lines=[(self.product_b, 1)], user_id=self.env.uid)
        # a finance reader reads the lines of the opportunities with orders only
        finance_lines = self.env(user=self.user_finance)["crm.lead.line"].search([])
        self.assertIn(self.lead.line_ids, finance_lines)
        self.assertNotIn(other_lead.line_ids, finance_lines)
        # a salesperson who sees their own opportunities only sees their own lines
        self.assertFalse(self.user_salesman.has_group("sales_team.group_sale_salesman_all_leads"))
        salesman_env = self.env(user=self.user_salesman)
        salesman_lines = salesman_env["crm.lead.line"].search([])
        self.assertIn(self.lead.line_ids, salesman_lines)
        self.assertNotIn(other_lead.line_ids, salesman_lines)
        with self.assertRaises(AccessError):
            other_lead.line_ids.with_env(salesman_env).write({"product_uom_qty": 2})

    def test_finance_reader_cannot_write(self):
        env = self.env(user=self.user_finance)
        with self.assertRaises(AccessError):
            self.linked_order.with_env(env).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.linked_invoice.with_env(env).write({"ref": "x"})
        with self.assertRaises(AccessError):
            env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.lead.with_env(env).write({"name": "x"})

    def test_finance_menu_and_views(self):
        env = self.env(user=self.user_finance)
        menus = env["ir.ui.menu"]._visible_menu_ids()
        self.assertIn(self.env.ref("crm_quotation.sale_order_finance_menu").id, menus)
        self.assertIn(self.env.ref("crm_quotation.account_move_finance_menu").id, menus)
        views = env["sale.order"].get_views([(False, "list"), (False, "form")])
        self.assertIn("form", views["views"])
        self.assertTrue(env["sale.order"].web_search_read([], {"name": {}, "amount_total": {}}))
