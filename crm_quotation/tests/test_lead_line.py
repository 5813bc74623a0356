from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged, users

from .common import CrmQuotationCommon


@tagged("post_install", "-at_install")
class TestLeadLine(CrmQuotationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": cls.product_a.id,
                    "compute_price": "fixed",
                    "fixed_price": 80.0,
                }
            )
        ]

    @users("cq_salesman")
    def test_price_from_pricelist_and_revenue_from_lines(self):
        lead = self._create_opportunity(revenue_from_lines=True).with_env(self.env)
        self.assertEqual(lead.pricelist_id, self.pricelist)
        with Form(lead) as form:
            with form.line_ids.new() as line:
                line.product_id = self.product_a
                line.product_uom_qty = 3
                line.discount = 10
            with form.line_ids.new() as line:
                line.product_id = self.product_b
                line.product_uom_qty = 2
        line_a = lead.line_ids.filtered(lambda line: line.product_id == self.product_a)
        self.assertEqual(line_a.price_unit, 80.0)
        self.assertAlmostEqual(line_a.price_subtotal, 216.0)
        self.assertEqual(line_a.product_uom_id, self.product_a.uom_id)
        self.assertIn("Inverter A", line_a.name)
        self.assertAlmostEqual(lead.lines_amount, 316.0)
        self.assertAlmostEqual(lead.expected_revenue, 316.0)
        line_a.product_uom_qty = 4
        self.assertAlmostEqual(lead.expected_revenue, 388.0)

    def test_revenue_kept_without_the_option(self):
        lead = self._create_opportunity(lines=[(self.product_a, 1)], expected_revenue=5000.0)
        self.assertEqual(lead.expected_revenue, 5000.0)
        lead.revenue_from_lines = True
        self.assertEqual(lead.expected_revenue, 80.0)

    @users("cq_salesman")
    def test_negative_quantity_is_refused(self):
        lead = self._create_opportunity().with_env(self.env)
        with self.assertRaises(ValidationError) as error:
            self.env["crm.lead.line"].create(
                {"lead_id": lead.id, "product_id": self.product_a.id, "product_uom_qty": -2}
            )
        self.assertIn("must be positive", str(error.exception))
        self.assertFalse(self.env["crm.lead.line"].search([("lead_id", "=", lead.id)]))

    def test_archived_product_is_refused(self):
        self.product_b.action_archive()
        lead = self._create_opportunity()
        with self.assertRaises(ValidationError) as error:
            self.env["crm.lead.line"].create(
                {"lead_id": lead.id, "product_id": self.product_b.id, "product_uom_qty": 1}
            )
        self.assertIn("archived", str(error.exception))
        self.assertFalse(self.env["crm.lead.line"].search([("lead_id", "=", lead.id)]))
