"""Each role's everyday flow with the settings a real company turns on:
the "Sales Credit Limit" option, a credit policy, two warehouses."""

from lxml import etree

from odoo.tests import Form, tagged, users

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestRoleFlows(CrmQuotationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"account_use_credit_limit": True, "credit_control_policy": "warn"})
        cls.env["stock.warehouse"].create({"name": "成都仓 (Chengdu Warehouse)", "code": "CDR"})
        cls.lead = cls._create_opportunity(lines=[(cls.product_a, 4)])

    @users("cq_salesman")
    def test_salesperson_new_quotation_opens_with_credit_limit_option(self):
        self.assertFalse(self.env.user.has_group("account.group_account_invoice"))
        lead = self.lead.with_env(self.env)
        action = lead.action_sale_quotations_new()
        order = self.env["sale.order"].browse(action["res_id"])
        form = Form(order)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.order_line), 1)
        # the smart button of the opportunity opens it too
        action = lead.action_view_sale_quotation()
        self.assertIn(order, self.env["sale.order"].search(action["domain"]))
        Form(self.env["sale.order"].browse(order.id))
        # a new quotation from scratch (stock form, onchange of the customer)
        new = Form(self.env["sale.order"])
        new.partner_id = self.customer
        self.assertTrue(new.partner_id)

    @users("cq_finance")
    def test_finance_reader_opens_an_order_read_only(self):
        order = self._create_order(lines=[(self.product_a, 1)], opportunity_id=self.lead.id)
        order.sudo().action_confirm()
        self.assertTrue(order.sudo().picking_ids)
        order = order.with_env(self.env)
        # what the web client reads to open the form: the fields of the form view
        # and of its inline lists, as the finance reader
        self._assert_form_opens(order)
        # the form of the finance menu
        view = self.env.ref("crm_quotation.sale_order_view_form_finance").sudo()
        values = self._assert_form_opens(order, view_id=view.id)
        self.assertEqual(values["amount_total"], order.amount_total)
        self.assertFalse(self.env["sale.order.option"].has_access("write"))

    def _assert_form_opens(self, record, view_id=False):
        views = record.get_views([(view_id, "form")])
        models = views["models"]
        spec = {}
        for name, field in models[record._name]["fields"].items():
            comodel = field.get("relation")
            if field["type"] in ("one2many", "many2many") and comodel in models:
                spec[name] = {"fields": {sub: {} for sub in models[comodel]["fields"]}}
            else:
                spec[name] = {}
        [values] = record.web_read(spec)
        self.assertEqual(values["id"], record.id)
        return values

    @users("cq_finance")
    def test_finance_invoices_list_has_no_upload_nor_sample(self):
        action = self.env.ref("crm_quotation.account_move_action_finance").sudo()
        view_id = action.view_ids.filtered(lambda view: view.view_mode == "list").view_id.id
        arch = self.env["account.move"].get_views([(view_id, "list")])["views"]["list"]["arch"]
        node = etree.fromstring(arch)
        self.assertFalse(node.get("js_class"), "no Upload button for a read-only role")
        self.assertIn(node.get("sample"), (None, "0", "False"))
        self.assertEqual(node.get("create"), "0")
