from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import Form, tagged, users

from .common import CrmServiceBridgeCommon


@tagged("post_install", "-at_install")
class TestInstalledBase(CrmServiceBridgeCommon):
    def _base(self, partner=None):
        return self.env["crm.installed.base.report"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def test_delivery_is_done(self):
        self.assertEqual(self.delivery.state, "done")
        self.assertEqual(self.delivery.move_line_ids.lot_id, self.lots)

    @users("sb_service")
    def test_delivered_serials_with_warranty(self):
        base = self._base()
        self.assertEqual(base.lot_id, self.lots, "one row per delivered serial, not the cable")
        self.assertEqual(set(base.mapped("serial")), {"TR6-TEST-0001", "TR6-TEST-0002"})
        today = fields.Date.context_today(base)
        for row in base:
            self.assertEqual(row.partner_id, self.customer, "the commercial entity")
            self.assertEqual(row.delivery_partner_id, self.customer_site)
            self.assertEqual(row.sale_order_id, self.order)
            self.assertEqual(row.picking_id, self.delivery)
            self.assertEqual(row.product_id, self.robot)
            self.assertEqual(row.warranty_months, 24)
            self.assertEqual(row.warranty_end, row.delivery_date + relativedelta(months=24))
            self.assertEqual(row.delivery_date, today)
            self.assertTrue(row.in_warranty)

    @users("sb_service")
    def test_service_user_opens_the_screens(self):
        """Service staff read the list and the partner smart button without sales rights."""
        Report = self.env["crm.installed.base.report"]
        views = Report.get_views([(False, "list")])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        shown = {node.get("name") for node in arch.iter("field")}
        self.assertNotIn("sale_order_id", shown, "sales documents are for sales")
        fields = views["models"]["crm.installed.base.report"]["fields"]
        specification = {
            name: {"fields": {"display_name": {}}} if fields[name]["type"] == "many2one" else {}
            for name in shown
        }
        result = Report.web_search_read([("partner_id", "=", self.customer.id)], specification)
        self.assertEqual(result["length"], 2)
        self.assertEqual(result["records"][0]["partner_id"]["display_name"], self.customer.name)
        self.assertEqual(self.customer.with_user(self.env.user).installed_base_count, 2)

    def test_expired_warranty(self):
        first = self.delivery.move_line_ids.filtered(lambda line: line.lot_id == self.lots[0])
        first.date = fields.Datetime.now() - relativedelta(months=30)
        self.env.flush_all()
        row = self._base().filtered(lambda r: r.lot_id == self.lots[0])
        self.assertFalse(row.in_warranty)
        self.assertEqual(row.warranty_end, first.date.date() + relativedelta(months=24))
        self.assertEqual(
            self.env["crm.installed.base.report"].search_count(
                [("partner_id", "=", self.customer.id), ("in_warranty", "=", True)]
            ),
            1,
        )

    def test_warranty_from_the_product(self):
        self.robot.warranty_months = 36
        self.env.flush_all()
        for row in self._base():
            self.assertEqual(row.warranty_months, 36)
            self.assertEqual(row.warranty_end, row.delivery_date + relativedelta(months=36))

    def test_reserved_serial_is_not_installed(self):
        lot = self.env["stock.lot"].create({"name": "TR6-TEST-0003", "product_id": self.robot.id})
        self.env["stock.quant"]._update_available_quantity(
            self.robot, self.warehouse.lot_stock_id, 1.0, lot_id=lot
        )
        pending = self._order(robots=1)
        pending.action_confirm()
        self.assertEqual(pending.picking_ids.state, "assigned")
        self.assertNotIn(lot, self._base().lot_id, "reserved, not delivered")

    @users("sb_salesman")
    def test_smart_buttons(self):
        customer = self.customer.with_user(self.env.user)
        site = self.customer_site.with_user(self.env.user)
        (customer | site)._compute_installed_base_count()  # warm the rule caches
        self.env.invalidate_all()
        # a fixed number of queries (one grouped query on the report) for any number of partners
        with self.assertQueryCount(5):
            (customer | site)._compute_installed_base_count()
        self.assertEqual(customer.installed_base_count, 2)
        self.assertEqual(site.installed_base_count, 2)
        action = site.action_view_installed_base()
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertEqual(action["domain"], [("end_customer_id", "=", self.customer.id)])
        lead = self.env["crm.lead"].create(
            {"name": "二号厂区扩产", "type": "opportunity", "partner_id": self.customer_site.id}
        )
        self.assertEqual(lead.installed_base_count, 2)
        self.assertEqual(lead.action_view_installed_base()["domain"], action["domain"])
        other = self.env["res.partner"].create({"name": "没有设备的客户"})
        self.assertEqual(other.installed_base_count, 0)

    def test_product_form_shows_warranty(self):
        with Form(self.env["product.template"]) as form:
            form.name = "测试减速机"
            form.is_storable = True
            form.warranty_months = 18
        self.assertEqual(form.record.warranty_months, 18)
