from odoo import models
from odoo.tools import SQL


class UomUom(models.Model):
    _inherit = "uom.uom"

    def _write_multi(self, vals_list):
        # the product facts count quantities in the product's unit
        touched = any("factor" in vals for vals in vals_list)
        condition = SQL(
            "(line.product_uom = ANY(%s) OR template.uom_id = ANY(%s))", self.ids, self.ids
        )
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, -1)
        result = super()._write_multi(vals_list)
        if touched:
            self.env["crm.analytics.dirty"]._mark(condition, 1)
        return result
