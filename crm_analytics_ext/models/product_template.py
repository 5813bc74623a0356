from odoo import models
from odoo.tools import SQL


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _write_multi(self, vals_list):
        # the product facts are per category: the product's lines move to the new one
        touched = any("categ_id" in vals for vals in vals_list)
        condition = SQL("template.id = ANY(%s)", self.ids)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, 1)
        return result
